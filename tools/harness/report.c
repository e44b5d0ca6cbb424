/* Results of runs; see report.h. */
#include "report.h"

#include "account.h"
#include "script.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void outcome_tail(struct run_outcome *o, const char *line)
{
	if (o->ntail == TAIL_LINES) {
		memmove(o->tail[0], o->tail[1], sizeof o->tail[0] * (TAIL_LINES - 1));
		o->ntail--;
	}
	snprintf(o->tail[o->ntail++], sizeof o->tail[0], "%s", line);
}

/* Appends a result; detail is formatted (NULL fmt: no detail). */
__attribute__((format(printf, 4, 5))) static struct result *
add(struct results *rs, enum ktap_status st, const char *name, const char *fmt, ...)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 64;
		rs->r = realloc(rs->r, (size_t)rs->cap * sizeof *rs->r);
		if (!rs->r)
			abort();
	}
	struct result *r = &rs->r[rs->n++];
	memset(r, 0, sizeof *r);
	r->status = st;
	snprintf(r->name, sizeof r->name, "%s", name);
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		if (vasprintf(&r->detail, fmt, ap) < 0)
			abort();
		va_end(ap);
	}
	rs->passed += st == KTAP_PASS;
	rs->failed += st == KTAP_FAIL;
	rs->skipped += st == KTAP_SKIP;
	return r;
}

/* The last lines of output as one string (static buffer). */
static const char *tail_text(const struct run_outcome *o)
{
	static char buf[TAIL_LINES * 260 + 256];
	size_t n = (size_t)snprintf(buf, sizeof buf, "last %d lines of output (%s):\n", o->ntail,
	                            o->log ? o->log : "not saved");
	for (int i = 0; i < o->ntail && n < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "| %s\n", o->tail[i]);
	if (o->ntail == 0)
		snprintf(buf + n, sizeof buf - n, "| (no output)\n");
	return buf;
}

/* How the run ended, in words; qemu selects QEMU's exit-code meanings. */
static const char *describe_end(const struct run_outcome *o, int qemu, char *buf, size_t size)
{
	if (o->end == RUN_TIMEOUT)
		snprintf(buf, size, "timed out after %d s", o->timeout);
	else if (o->end == RUN_SIGNALED)
		snprintf(buf, size, "killed by signal %d (%s)", o->code, strsignal(o->code));
	else if (o->end == RUN_STOPPED)
		snprintf(buf, size, "stopped by the harness");
	else if (o->end == RUN_NOT_STARTED)
		snprintf(buf, size, "not started: %s", o->why);
	else if (qemu && o->code == 33)
		snprintf(buf, size, "the kernel reported success (isa-debug-exit 0x10)");
	else if (qemu && o->code == 35)
		snprintf(buf, size, "the kernel reported failure (isa-debug-exit 0x11)");
	else if (qemu && o->code == 0)
		snprintf(buf, size,
		         "QEMU exited without isa-debug-exit: the guest reset "
		         "(triple fault, reboot) or powered off");
	else if (qemu && o->code & 1 && o->code > 1)
		snprintf(buf, size, "isa-debug-exit with unexpected code 0x%x", o->code >> 1);
	else
		snprintf(buf, size, "exited with status %d", o->code);
	return buf;
}

/* Adds one result per KTAP case, names prefixed.  With an entry e, a skip
 * that e's skip= list does not name is a failure. */
static void add_cases(const struct ktap *k, const char *prefix, const struct matrix_entry *e,
                      struct results *rs)
{
	for (int i = 0; i < k->ncases; i++) {
		const struct ktap_case *c = &k->cases[i];
		char name[160];
		snprintf(name, sizeof name, "%s%s", prefix, c->name);
		if (c->status == KTAP_PASS)
			add(rs, KTAP_PASS, name, NULL);
		else if (c->status == KTAP_SKIP && e && matrix_skip_listed(e, c->name) < 0)
			add(rs, KTAP_FAIL, name,
			    "unexpected skip: %s: %s (the entry's skip= list does not name it)\n",
			    c->name, c->reason ? c->reason : "");
		else if (c->status == KTAP_SKIP)
			add(rs, KTAP_SKIP, name, "%s", c->reason ? c->reason : "");
		else
			add(rs, KTAP_FAIL, name, "%s%s%s%s", c->diag ? c->diag : "",
			    c->reason ? "# " : "", c->reason ? c->reason : "",
			    c->reason ? "\n" : "");
	}
}

void report_host(const char *name, const struct run_outcome *o, struct results *rs)
{
	struct ktap k = o->ktap; /* ktap_finish only sets k.error */
	int bad_report = ktap_finish(&k) != 0;
	int failures = ktap_count(&o->ktap, KTAP_FAIL);
	char end[256];
	add_cases(&o->ktap, "", NULL, rs);
	int consistent = o->end == RUN_EXITED && (o->code == 0) == (failures == 0) &&
	                 (o->code == 0 || o->code == 1);
	if (consistent && !bad_report)
		return;
	add(rs, KTAP_FAIL, name, "%s%s%s\n%s", describe_end(o, 0, end, sizeof end),
	    bad_report ? "; " : "", bad_report ? k.error : "", tail_text(o));
}

/* The "boot" result of an entry: the cores-online line. */
static void report_boot(const struct matrix_entry *e, const struct run_outcome *o,
                        const char *prefix, struct results *rs)
{
	char name[160];
	snprintf(name, sizeof name, "%sboot", prefix);
	if (!o->boot_seen)
		add(rs, KTAP_FAIL, name, "no \"tessera: boot complete: X/Y cores online\" line\n%s",
		    tail_text(o));
	else if (o->total != e->cores || o->online != e->online)
		add(rs, KTAP_FAIL, name, "%d/%d cores online, expected %d/%d\n", o->online,
		    o->total, e->online, e->cores);
	else if (e->loader[0] && strncmp(o->loader, e->loader, strlen(e->loader)) != 0)
		add(rs, KTAP_FAIL, name, "the kernel names its loader \"%s\", expected %s\n",
		    o->loader[0] ? o->loader : "(no tessera: loader: line)", e->loader);
	else
		add(rs, KTAP_PASS, name, NULL);
}

/* Adds the accounting problems (account.h) as failures. */
static void add_accounting(const struct matrix_entry *e, const struct ktap *k,
                           const struct ktests *decl, int complete, const char *prefix,
                           struct results *rs)
{
	struct account a = {0};
	char name[200];
	account_check(e, k, decl, complete, &a);
	for (int i = 0; i < a.n; i++) {
		snprintf(name, sizeof name, "%s%s", prefix, a.v[i].name);
		add(rs, KTAP_FAIL, name, "%s\n", a.v[i].detail);
	}
	account_free(&a);
}

/* The results of a ktap entry: its cases, the accounting, the boot line,
 * the exit. */
static void report_ktap(const struct matrix_entry *e, const struct run_outcome *o,
                        const struct ktests *decl, const char *prefix, struct results *rs)
{
	struct ktap k = o->ktap;
	int bad_report = ktap_finish(&k) != 0;
	int failures = ktap_count(&o->ktap, KTAP_FAIL);
	int exited = o->end == RUN_EXITED && (o->code == 33 || o->code == 35);
	char end[256], name[160];
	add_cases(&o->ktap, prefix, e, rs);
	add_accounting(e, &o->ktap, decl, exited && !bad_report, prefix, rs);
	if (o->boot_seen || exited)
		report_boot(e, o, prefix, rs);
	if (exited && !bad_report && (o->code == 35) == (failures > 0))
		return;
	snprintf(name, sizeof name, "%srun", prefix);
	describe_end(o, 1, end, sizeof end);
	if (exited && !bad_report)
		add(rs, KTAP_FAIL, name, "%s, but %d cases failed\n%s", end, failures,
		    tail_text(o));
	else
		add(rs, KTAP_FAIL, name, "%s%s%s%s\n%s", end,
		    o->boot_seen || exited ? "" : " before boot complete", bad_report ? "; " : "",
		    bad_report ? k.error : "", tail_text(o));
}

/* lines:TEXT|TEXT...: one result per part. */
static void report_lines(const struct matrix_entry *e, const struct run_outcome *o,
                         const char *prefix, struct results *rs)
{
	char part[sizeof e->text], name[400], end[256];

	for (int i = 0; matrix_line_part(e->text, i, part, sizeof part); i++) {
		int command = part[0] == MATRIX_COMMAND; /* monitor.h */
		snprintf(name, sizeof name, "%s%s \"%s\"", prefix, command ? "sent" : "line",
		         part + command);
		if (command && !(o->lines_seen >> i & 1))
			add(rs, KTAP_FAIL, name, "not sent: %s\n%s",
			    o->why[0] ? o->why : "a part before it did not appear", tail_text(o));
		else if (!(o->lines_seen >> i & 1))
			add(rs, KTAP_FAIL, name, "%s before the line appeared\n%s",
			    describe_end(o, 1, end, sizeof end), tail_text(o));
		else if (o->end == RUN_STOPPED || o->end == RUN_TIMEOUT) /* a missing one fails */
			add(rs, KTAP_PASS, name, NULL);
		else
			add(rs, KTAP_FAIL, name, "the line appeared, but then %s\n%s",
			    describe_end(o, 1, end, sizeof end), tail_text(o));
	}
}

/* screen:FILE: a result per after line, then one per check. */
static void report_screen(const struct matrix_entry *e, const struct run_outcome *o,
                          const char *prefix, struct results *rs)
{
	char name[400], end[256];
	const struct screen_spec *s = o->screen;

	for (int i = 0; i < s->nafter; i++) {
		snprintf(name, sizeof name, "%sline \"%s\"", prefix, s->after[i]);
		if (o->lines_seen >> i & 1)
			add(rs, KTAP_PASS, name, NULL);
		else
			add(rs, KTAP_FAIL, name, "%s before the line appeared\n%s",
			    describe_end(o, 1, end, sizeof end), tail_text(o));
	}
	for (int i = 0; i < s->n; i++) {
		snprintf(name, sizeof name, "%sscreen %s", prefix, s->c[i].text);
		if (!o->screen_taken)
			add(rs, KTAP_FAIL, name, "no screendump: %s\n",
			    o->screen_error[0] ? o->screen_error : "its lines did not all appear");
		else if (o->screen_pass >> i & 1)
			add(rs, KTAP_PASS, name, NULL);
		else
			add(rs, KTAP_FAIL, name, "%s (%s, checks %s)\n", o->screen_why[i],
			    o->screen_ppm, e->text);
	}
}

/* script:FILE: one result per expect and line step. */
static void report_script(const struct matrix_entry *e, const struct run_outcome *o,
                          const char *prefix, struct results *rs)
{
	static const char *const ops[] = {"wait", "send", "expect", "line"};
	char name[400], end[256];

	for (int i = 0; e->script && i < e->script->n; i++) {
		const struct script_step *st = &e->script->steps[i];
		if (st->op != SCRIPT_EXPECT && st->op != SCRIPT_LINE)
			continue;
		snprintf(name, sizeof name, "%s%s \"%s\"", prefix, ops[st->op], st->text);
		if (!(o->script_seen >> i & 1)) {
			const struct script_step *at =
			        o->script_at < e->script->n ? &e->script->steps[o->script_at] : st;
			add(rs, KTAP_FAIL, name,
			    "%s before it; the script stopped at line %d (%s \"%s\")\n%s",
			    describe_end(o, 1, end, sizeof end), at->line, ops[at->op],
			    at->op == SCRIPT_SEND ? "..." : at->text, tail_text(o));
		} else if (o->end == RUN_STOPPED || o->end == RUN_TIMEOUT) {
			add(rs, KTAP_PASS, name, NULL);
		} else {
			add(rs, KTAP_FAIL, name, "it appeared, but then %s\n%s",
			    describe_end(o, 1, end, sizeof end), tail_text(o));
		}
	}
}

void report_entry(const struct matrix_entry *e, const struct run_outcome *o,
                  const struct ktests *decl, struct results *rs)
{
	char prefix[80], name[400], end[256];
	snprintf(prefix, sizeof prefix, "[%s] ", e->name);
	if (o->end == RUN_NOT_STARTED) {
		snprintf(name, sizeof name, "%srun", prefix);
		add(rs, KTAP_FAIL, name, "%s\n", describe_end(o, 1, end, sizeof end));
	} else if (e->expect == EXPECT_KTAP) {
		report_ktap(e, o, decl, prefix, rs);
	} else if (e->expect == EXPECT_BOOT) {
		snprintf(name, sizeof name, "%sboot", prefix);
		if (o->boot_seen)
			report_boot(e, o, prefix, rs);
		else
			add(rs, KTAP_FAIL, name, "%s before boot complete\n%s",
			    describe_end(o, 1, end, sizeof end), tail_text(o));
	} else if (e->expect == EXPECT_LINES) {
		report_lines(e, o, prefix, rs);
	} else if (e->expect == EXPECT_SCREEN && o->screen) {
		report_screen(e, o, prefix, rs);
	} else if (e->expect == EXPECT_SCRIPT) {
		report_script(e, o, prefix, rs);
	} else {
		snprintf(name, sizeof name, "%serror \"%s\"", prefix, e->text);
		if (o->error_seen && o->end == RUN_STOPPED)
			add(rs, KTAP_PASS, name, NULL);
		else if (o->error_seen)
			add(rs, KTAP_FAIL, name, "the text appeared, but then %s\n%s",
			    describe_end(o, 1, end, sizeof end), tail_text(o));
		else
			add(rs, KTAP_FAIL, name, "%s before the text appeared\n%s",
			    describe_end(o, 1, end, sizeof end), tail_text(o));
	}
}

void report_compare(const char *name, int bad, const char *fail, const char *allowed,
                    struct results *rs)
{
	char detail[8192] = "";
	size_t used = 0;
	if (bad)
		used += (size_t)snprintf(detail, sizeof detail, "%s", fail);
	for (const char *p = allowed; *p && used + 1 < sizeof detail;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		used += (size_t)snprintf(detail + used, sizeof detail - used, "# allowed: %.*s\n",
		                         (int)len, p);
		p = eol ? eol + 1 : p + len;
	}
	add(rs, bad ? KTAP_FAIL : KTAP_PASS, name, "%s", detail[0] ? detail : "");
}

void report_skip(const char *name, const char *why, struct results *rs)
{
	add(rs, KTAP_SKIP, name, "%s", why);
}

void report_fail(const char *name, const char *why, struct results *rs)
{
	add(rs, KTAP_FAIL, name, "%s\n", why);
}

/* Prints detail lines indented under a result. */
static void print_detail(const char *detail, FILE *out)
{
	for (const char *p = detail; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		const char *s = p;
		while (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		fprintf(out, "    %.*s\n", (int)len, s);
		p = eol ? eol + 1 : p + strlen(p);
	}
}

void report_print(const struct results *rs, int from, FILE *out)
{
	for (int i = from; i < rs->n; i++) {
		const struct result *r = &rs->r[i];
		if (r->status == KTAP_PASS) {
			fprintf(out, "ok %s\n", r->name);
			if (r->detail && r->detail[0])
				print_detail(r->detail, out);
		} else if (r->status == KTAP_SKIP) {
			fprintf(out, "skip %s: %s\n", r->name, r->detail ? r->detail : "");
		} else {
			fprintf(out, "not ok %s\n", r->name);
			if (r->detail)
				print_detail(r->detail, out);
		}
	}
}

void results_free(struct results *rs)
{
	for (int i = 0; i < rs->n; i++)
		free(rs->r[i].detail);
	free(rs->r);
	memset(rs, 0, sizeof *rs);
}
