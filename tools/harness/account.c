/* Test accounting; see account.h. */
#include "account.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CORES 64

__attribute__((format(printf, 3, 4))) static void problem(struct account *a, const char *name,
                                                          const char *fmt, ...)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 16;
		a->v = realloc(a->v, (size_t)a->cap * sizeof *a->v);
		if (!a->v)
			abort();
	}
	struct account_item *it = &a->v[a->n++];
	snprintf(it->name, sizeof it->name, "%s", name);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(it->detail, sizeof it->detail, fmt, ap);
	va_end(ap);
}

void account_free(struct account *a)
{
	free(a->v);
	memset(a, 0, sizeof *a);
}

/* The core of result name cpuN.suite.name, with *rest at suite.name; -1 if
 * the name has another shape. */
static int core_of(const char *name, const char **rest)
{
	if (strncmp(name, "cpu", 3) != 0 || !isdigit((unsigned char)name[3]))
		return -1;
	char *end;
	long core = strtol(name + 3, &end, 10);
	if (*end != '.' || core >= MAX_CORES || !strchr(end + 1, '.'))
		return -1;
	*rest = end + 1;
	return (int)core;
}

/* Whether the report has a result named cpu<core>.<name>. */
static int reported(const struct ktap *k, int core, const char *name)
{
	char full[160];
	snprintf(full, sizeof full, "cpu%d.%s", core, name);
	for (int i = 0; i < k->ncases; i++)
		if (strcmp(k->cases[i].name, full) == 0)
			return 1;
	return 0;
}

/* Each result must be a declared case, on a core it runs on, once; returns
 * the cores that reported, core 0 always among them. */
static uint64_t check_results(const struct ktap *k, const struct ktests *decl, struct account *a)
{
	uint64_t cores = 1;
	for (int i = 0; i < k->ncases; i++) {
		const char *name = k->cases[i].name, *rest;
		int core = core_of(name, &rest);
		if (core < 0) {
			problem(a, name, "not a cpuN.suite.name result");
			continue;
		}
		cores |= 1ull << core;
		const struct ktests_case *c = ktests_find(decl, rest);
		if (!c)
			problem(a, name,
			        "unexpected: no KTEST in the test kernel's sources declares %s",
			        rest);
		else if (c->kind == KTESTS_BSP && core != 0)
			problem(a, name, "unexpected: %s is a KTEST_BSP case (core 0 only, %s)",
			        rest, c->where);
		else if (c->kind == KTESTS_REMOTE)
			problem(a, name,
			        "unexpected: %s is a KTEST_REMOTE case (never reported, %s)", rest,
			        c->where);
		for (int j = 0; j < i; j++)
			if (strcmp(k->cases[j].name, name) == 0) {
				problem(a, name, "reported twice (results %d and %d)",
				        k->cases[j].number, k->cases[i].number);
				break;
			}
	}
	return cores;
}

/* Every declared case on every core it runs on must have been reported. */
static void check_missing(const struct ktap *k, const struct ktests *decl, uint64_t cores,
                          struct account *a)
{
	char name[160];
	for (int i = 0; i < decl->n; i++) {
		const struct ktests_case *c = &decl->c[i];
		for (int core = 0; core < MAX_CORES; core++) {
			if (!(cores >> core & 1) || (c->kind == KTESTS_BSP && core != 0) ||
			    c->kind == KTESTS_REMOTE)
				continue;
			if (reported(k, core, c->name))
				continue;
			snprintf(name, sizeof name, "cpu%d.%s", core, c->name);
			problem(a, name, "missing from the report: declared at %s (%s)", c->where,
			        ktests_kind_name(c->kind));
		}
	}
}

/* The core count and the plan. */
static void check_counts(const struct matrix_entry *e, const struct ktap *k,
                         const struct ktests *decl, uint64_t cores, struct account *a)
{
	int bsp = 0, remote = 0, online = __builtin_popcountll(cores);
	for (int i = 0; i < decl->n; i++) {
		bsp += decl->c[i].kind == KTESTS_BSP;
		remote += decl->c[i].kind == KTESTS_REMOTE;
	}
	if (online != e->online) {
		char list[MAX_CORES * 4] = "";
		size_t n = 0;
		for (int core = 0; core < MAX_CORES; core++)
			if (cores >> core & 1)
				n += (size_t)snprintf(list + n, sizeof list - n, "%s%d",
				                      n ? "," : "", core);
		problem(a, "cores", "results come from %d core%s (%s), but %d are online", online,
		        online == 1 ? "" : "s", list, e->online);
	}
	int want = bsp + (decl->n - bsp - remote) * e->online;
	char others[48] = "";
	if (remote)
		snprintf(others, sizeof others, ", %d run by other cases only", remote);
	if (k->plan != want)
		problem(a, "plan",
		        "the report's plan is 1..%d, but the sources declare %d results: %d cases "
		        "(%d on core 0 only%s) on %d online core%s",
		        k->plan, want, decl->n, bsp, others, e->online, e->online == 1 ? "" : "s");
}

/* Whether the case a skip pattern names (after cpuN. or cpu*.) is declared. */
static int pattern_declared(const struct ktests *decl, const char *p, size_t len)
{
	const char *dot = memchr(p, '.', len);
	char name[160];
	if (!decl || !dot)
		return 1;
	snprintf(name, sizeof name, "%.*s", (int)(len - (size_t)(dot + 1 - p)), dot + 1);
	return ktests_find(decl, name) != NULL;
}

/* Each pattern of the skip list must have happened: cpuN.suite.name
 * skipped on core N, cpu*.suite.name skipped on every core that reported
 * the case. */
static void check_listed_skips(const struct matrix_entry *e, const struct ktap *k,
                               const struct ktests *decl, struct account *a)
{
	char name[200];
	for (const char *p = e->skip; *p;) {
		size_t len = strcspn(p, ",");
		const char *ran = NULL; /* a matching result that did not skip */
		int skipped = 0;
		for (int i = 0; i < k->ncases; i++) {
			if (!matrix_skip_match(p, len, k->cases[i].name))
				continue;
			if (k->cases[i].status == KTAP_SKIP)
				skipped++;
			else if (!ran)
				ran = k->cases[i].name;
		}
		snprintf(name, sizeof name, "skip=%.*s", (int)len, p);
		if (!skipped && !ran)
			problem(a, name, "the entry lists this skip, but it did not happen%s",
			        pattern_declared(decl, p, len) ? ""
			                                       : " (no KTEST declares that case)");
		else if (!skipped || (ran && p[3] == '*'))
			problem(a, name, "the entry lists this skip, but %s did not skip", ran);
		p += len + (p[len] == ',');
	}
}

void account_check(const struct matrix_entry *e, const struct ktap *k, const struct ktests *decl,
                   int complete, struct account *out)
{
	if (decl) {
		uint64_t cores = check_results(k, decl, out);
		if (complete) {
			check_counts(e, k, decl, cores, out);
			check_missing(k, decl, cores, out);
		}
	}
	if (complete)
		check_listed_skips(e, k, decl, out);
}
