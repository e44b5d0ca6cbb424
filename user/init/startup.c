/* init's startup description, checked against its schema; see startup.h. */
#include "startup.h"

#include <fmt/fmt.h>
#include <init_startup.h>
#include <string/mem.h>

__attribute__((format(printf, 4, 5))) static void
report(struct typed_diag *d, const struct typed_value *at, const char *path, const char *fmt, ...)
{
	struct typed_error e = {.line = at->line, .col = at->col};
	va_list ap;

	mem_strlcpy(e.path, path, sizeof e.path);
	va_start(ap, fmt);
	fmt_vsnprintf(e.msg, sizeof e.msg, fmt, ap);
	va_end(ap);
	if (d->fn)
		d->fn(d->ctx, &e);
	d->count++;
}

/* A device cap's name (rt/device.h): "devices", or a prefix and hex or
 * decimal digits. */
static bool device_name(const char *s)
{
	static const char *const prefix[] = {"port", "irq", "frame", "mmio", "ecam"};

	if (strcmp(s, "devices") == 0)
		return true;
	if (strlen(s) >= STARTUP_DEV_NAME)
		return false;
	for (unsigned i = 0; i < sizeof prefix / sizeof prefix[0]; i++) {
		size_t n = strlen(prefix[i]);
		if (strncmp(s, prefix[i], n) != 0 || !s[n])
			continue;
		for (s += n; *s; s++)
			if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
				return false;
		return true;
	}
	return false;
}

/* Program i of the description (p, its value v) into e; false after
 * reporting what init cannot do. */
static bool entry(unsigned i, const struct init_program *p, const struct typed_value *v,
                  struct startup_entry *e, struct typed_diag *d)
{
	const struct typed_value *caps = typed_get(v, "caps");
	bool ok = true;

	*e = (struct startup_entry){.core = (unsigned)p->core,
	                            .argc = p->args.count,
	                            .priority = (unsigned)p->priority,
	                            .optional = p->optional};
	mem_strlcpy(e->name, p->name, sizeof e->name);
	while ((1ull << e->budget_bits) < p->memory)
		e->budget_bits++;
	for (uint32_t k = 0; k < p->caps.count; k++) {
		char path[TYPED_PATH_MAX];
		const char *name = p->caps.items[k].name;
		if (strcmp(name, "log") == 0 || strcmp(name, "init") == 0 ||
		    strcmp(name, "modules") == 0 || strcmp(name, "control") == 0) {
			e->log |= name[0] == 'l';
			e->system |= name[0] == 'i';
			e->modules |= name[0] == 'm';
			e->control |= name[0] == 'c';
			continue;
		}
		fmt_snprintf(path, sizeof path, "programs[%u].caps[%u]", i, k);
		if (device_name(name) && e->ndevs < STARTUP_DEVS) {
			mem_strlcpy(e->devs[e->ndevs++], name, STARTUP_DEV_NAME);
			continue;
		}
		if (device_name(name)) {
			report(d, &caps->list.items[k], path, "more than %u device caps",
			       STARTUP_DEVS);
			ok = false;
		} else if (strlen(name) >= STARTUP_SERVICE || e->nuses == STARTUP_SERVICES) {
			report(d, &caps->list.items[k], path,
			       "a service's name has at most %u characters, a program uses at "
			       "most %u",
			       STARTUP_SERVICE - 1, STARTUP_SERVICES);
			ok = false;
		} else { /* a service: checked once every program is read */
			mem_strlcpy(e->uses[e->nuses++], name, STARTUP_SERVICE);
		}
	}
	const struct typed_value *serves = typed_get(v, "serves");
	for (uint32_t k = 0; k < p->serves.count; k++) {
		const char *name = p->serves.items[k].name;
		if (strlen(name) < STARTUP_SERVICE && !device_name(name) && strcmp(name, "log") &&
		    strcmp(name, "control") && strcmp(name, "init") && strcmp(name, "modules")) {
			mem_strlcpy(e->serves[e->nserves++], name, STARTUP_SERVICE);
			continue;
		}
		char path[TYPED_PATH_MAX];
		fmt_snprintf(path, sizeof path, "programs[%u].serves[%u]", i, k);
		report(d, &serves->list.items[k], path,
		       "'%s' cannot name a service (log, init, modules, control and device names "
		       "are init's; at most %u characters)",
		       name, STARTUP_SERVICE - 1);
		ok = false;
	}
	for (uint32_t k = 0; k < p->args.count && k < STARTUP_ARGS; k++)
		e->argv[k] = p->args.items[k];
	if (p->has_chan)
		mem_strlcpy(e->chan, p->chan, sizeof e->chan);
	if (p->has_config)
		mem_strlcpy(e->config, p->config, sizeof e->config);
	return ok;
}

static bool serves(const struct startup_entry *e, const char *name)
{
	for (unsigned k = 0; k < e->nserves; k++)
		if (strcmp(e->serves[k], name) == 0)
			return true;
	return false;
}

/* Every service a program uses is served by exactly one program listed
 * before it, and both are init's own on core 0; reported at the cap (or
 * the second server, or the program) otherwise. */
static bool services(const struct startup_entry *e, unsigned n, const struct typed_value *list,
                     struct typed_diag *d)
{
	bool ok = true;
	char path[TYPED_PATH_MAX];

	for (unsigned i = 0; i < n; i++) {
		const struct typed_value *v = &list->list.items[i];
		if ((e[i].nserves || e[i].nuses || e[i].control) &&
		    (e[i].core != 0 || e[i].chan[0])) {
			fmt_snprintf(path, sizeof path, "programs[%u]", i);
			report(d, v, path,
			       "services join programs on core 0 that init starts itself (an "
			       "endpoint is one core's): core 0, no chan");
			ok = false;
		}
		for (unsigned k = 0; k < e[i].nserves; k++)
			for (unsigned j = 0; j < i; j++)
				if (serves(&e[j], e[i].serves[k])) {
					fmt_snprintf(path, sizeof path, "programs[%u].serves[%u]",
					             i, k);
					report(d, &typed_get(v, "serves")->list.items[k], path,
					       "programs[%u] serves '%s' already", j,
					       e[i].serves[k]);
					ok = false;
				}
		for (unsigned k = 0, at = 0; k < e[i].nuses; k++, at++) {
			const struct typed_value *caps = typed_get(v, "caps");
			while (strcmp(caps->list.items[at].cap.name, e[i].uses[k]) != 0)
				at++; /* the cap's place in the list, for the report */
			unsigned j = 0;
			while (j < n && !serves(&e[j], e[i].uses[k]))
				j++;
			fmt_snprintf(path, sizeof path, "programs[%u].caps[%u]", i, at);
			if (j < i)
				continue;
			if (j < n) {
				report(d, &caps->list.items[at], path,
				       "'%s' is served by programs[%u], listed after this one (a "
				       "server starts before its users)",
				       e[i].uses[k], j);
				ok = false;
				continue;
			}
			report(d, &caps->list.items[at], path,
			       "init gives no capability '%s' (it gives: log, init, modules, "
			       "control, devices, portN, irqN, frameN, mmioN, ecamN, and the "
			       "services "
			       "programs serve)",
			       e[i].uses[k]);
			ok = false;
		}
	}
	return ok;
}

enum err startup_read(const char *text, size_t len, struct typed_arena *a, struct startup_entry *e,
                      unsigned max, unsigned *n, struct typed_diag *d)
{
	const struct typed_type *t;
	struct typed_value *v;
	struct typed_error err;
	struct init_startup s;
	enum err r = init_startup_type(a, &t, &err);

	*n = 0;
	if (r) {
		if (d->fn)
			d->fn(d->ctx, &err);
		d->count++;
		return r;
	}
	r = typed_text_load(t, text, len, a, &v, d);
	if (!r)
		r = init_startup_from_value(v, a, &s);
	if (r)
		return r;
	const struct typed_value *list = typed_get(v, "programs");
	bool ok = s.programs.count <= max;
	if (!ok)
		report(d, list, "programs", "%u programs; init starts at most %u", s.programs.count,
		       max);
	for (uint32_t i = 0; i < s.programs.count && i < max; i++)
		if (!entry(i, &s.programs.items[i], &list->list.items[i], &e[i], d))
			ok = false;
	if (ok)
		ok = services(e, s.programs.count, list, d);
	*n = ok ? s.programs.count : 0;
	return ok ? ERR_OK : ERR_CORRUPT;
}

enum err startup_config(const struct typed_type *t, const char *text, size_t len,
                        struct typed_arena *a, uint8_t *msg, size_t *size, struct typed_diag *d)
{
	struct typed_value *v;
	struct typed_error err = {0};
	enum err e = typed_text_load(t, text, len, a, &v, d);
	size_t room = *size;

	*size = 0;
	if (e)
		return e;
	size_t n = typed_encode(v, msg, room, &e, &err);
	if (e == ERR_NOSPC)
		report(d, v, "", "it takes %zu bytes encoded, at most %zu", n, room);
	else if (e) {
		if (d->fn)
			d->fn(d->ctx, &err);
		d->count++;
		e = ERR_CORRUPT;
	}
	*size = e ? 0 : n;
	return e;
}
