/* What a child is granted (rt/image.h): a tile's manifest against the
 * spawner's offer, or the whole offer for a static ELF; and, in the child,
 * finding a cap it was given by name. */
#include <rt/image.h>
#include <rt/spawn.h>
#include <string/mem.h>
#include <tessera/caps.h>

#include "image_priv.h"

static const char *const kinds[] = {"?",      "log", "memory",   "module", "endpoint", "notify",
                                    "ioport", "irq", "devframe", "devmem", "cnode"};

/* A cap the manifest names that the spawner does not offer: an error
 * unless it is optional. */
static enum err missing(const struct spawn_args *a, const struct tile_cap *c, const char *name,
                        enum err e, const char *what)
{
	if (c->flags & TILE_CAP_OPTIONAL)
		return ERR_OK;
	rt_printf("spawn: %s: its manifest needs %s '%s'; %s\n", a->name, kinds[c->type], name,
	          what);
	return e;
}

static enum err module(const struct spawn_args *a, const struct tile_cap *c, const char *name,
                       struct rt_grants *g)
{
	bool all = strcmp(name, "*") == 0, found = false;

	for (unsigned i = 0; i < a->nmodules; i++) {
		if (!all && strncmp(a->modules[i]->name, name, BOOTINFO_NAME) != 0)
			continue;
		found = true;
		bool have = false;
		for (unsigned k = 0; k < g->nmodules; k++)
			have |= g->modules[k] == a->modules[i];
		if (!have && g->nmodules < BOOTINFO_MODULES)
			g->modules[g->nmodules++] = a->modules[i];
	}
	return found || all ? ERR_OK : missing(a, c, name, ERR_NOENT, "the spawner offers none");
}

/* A named endpoint, notification or device cap (I/O ports, IRQ, device
 * frame, device untyped) or CNode: offered, of that type (device untyped:
 * an untyped with CAP_FLAG_DEVICE), with at least the rights the manifest
 * names (the child gets exactly those). */
static enum err named(const struct spawn_args *a, const struct tile_cap *c, const char *name,
                      struct rt_grants *g)
{
	static const uint16_t types[] = {[TILE_CAP_ENDPOINT] = CAP_ENDPOINT,
	                                 [TILE_CAP_NOTIFY] = CAP_NOTIFY,
	                                 [TILE_CAP_IOPORT] = CAP_IOPORT,
	                                 [TILE_CAP_IRQ] = CAP_IRQ,
	                                 [TILE_CAP_DEVFRAME] = CAP_DEVICE_FRAME,
	                                 [TILE_CAP_DEVMEM] = CAP_UNTYPED,
	                                 [TILE_CAP_CNODE] = CAP_CNODE};
	struct cap_results_identify id;

	for (unsigned i = 0; i < a->ncaps; i++) {
		if (strcmp(a->caps[i].name, name) != 0)
			continue;
		if (invoke_identify(a->caps[i].cap.addr, a->caps[i].cap.depth, &id) ||
		    id.type != types[c->type] ||
		    (c->type == TILE_CAP_DEVMEM && !(id.flags & CAP_FLAG_DEVICE)))
			return missing(a, c, name, ERR_TYPE, "the spawner offers another type");
		if ((id.rights & c->rights) != c->rights)
			return missing(a, c, name, ERR_PERM, "the spawner offers fewer rights");
		if (g->ncaps == PROG_CAPS)
			return missing(a, c, name, ERR_FULL, "too many named caps");
		struct prog_cap *p = &g->caps[g->ncaps];
		mem_strlcpy(p->name, name, sizeof p->name);
		p->type = types[c->type];
		p->rights = c->rights;
		g->cap_src[g->ncaps++] = a->caps[i].cap;
		return ERR_OK;
	}
	return missing(a, c, name, ERR_NOENT, "the spawner offers none");
}

/* The system's notify-type names (rt/image.h); false if name is another. */
static bool system(const struct spawn_args *a, const struct tile_cap *c, const char *name,
                   struct rt_grants *g, enum err *e)
{
	bool *to = NULL, offered = false;

	if (c->type != TILE_CAP_NOTIFY)
		return false;
	if (strcmp(name, "self") == 0)
		to = &g->notify, offered = a->notify;
	else if (strcmp(name, "monitor") == 0)
		to = &g->monitor, offered = a->ngrants != 0;
	else if (strcmp(name, "chan") == 0)
		to = &g->chan, offered = a->chan != 0;
	if (!to)
		return false;
	*to = offered;
	*e = offered ? ERR_OK : missing(a, c, name, ERR_NOENT, "the spawner offers none");
	return true;
}

static enum err one(const struct rt_image *img, const struct spawn_args *a, uint32_t i,
                    struct rt_grants *g)
{
	struct tile_cap c;
	unsigned bits = 0;

	tile_record(&img->t, TILE_SEC_CAPS, i, &c);
	const char *name = tile_str(&img->t, c.name);
	switch (c.type) {
	case TILE_CAP_LOG:
		if (!a->log)
			return missing(a, &c, name, ERR_NOENT, "the spawner offers none");
		g->log = true;
		return ERR_OK;
	case TILE_CAP_MEMORY:
		while ((1ull << bits) < c.size)
			bits++;
		if (a->budget_bits && bits > a->budget_bits && (c.flags & TILE_CAP_OPTIONAL))
			bits = a->budget_bits; /* optional: as much of it as is offered */
		if (a->budget_bits && bits > a->budget_bits) {
			rt_printf("spawn: %s: its manifest needs %llu KiB of memory, the spawner "
			          "offers "
			          "%llu KiB\n",
			          a->name, (unsigned long long)(c.size >> 10),
			          (unsigned long long)(1ull << a->budget_bits >> 10));
			return ERR_RANGE;
		}
		g->budget_bits = bits;
		return ERR_OK;
	case TILE_CAP_MODULE: return module(a, &c, name, g);
	default: {
		enum err e;
		return system(a, &c, name, g, &e) ? e : named(a, &c, name, g);
	}
	}
}

enum err rt_image_grants(const struct rt_image *img, const struct spawn_args *a,
                         struct rt_grants *g)
{
	enum err e = ERR_OK;

	*g = (struct rt_grants){0};
	if (!img->tile) {
		g->log = a->log;
		g->budget_bits = a->budget_bits;
		g->nmodules = a->nmodules < BOOTINFO_MODULES ? a->nmodules : BOOTINFO_MODULES;
		for (unsigned i = 0; i < g->nmodules; i++)
			g->modules[i] = a->modules[i];
		g->notify = a->notify;
		g->monitor = a->ngrants != 0;
		g->chan = a->chan != 0;
		return image_args(img, a, g);
	}
	for (uint32_t i = 0; !e && i < img->t.count[TILE_SEC_CAPS]; i++)
		e = one(img, a, i, g);
	return e ? e : image_args(img, a, g);
}

enum err rt_named_cap(const char *name, struct rt_capref *cap, struct prog_cap *info)
{
	const struct prog_args *a = rt_args();

	for (uint32_t i = 0; a && i < a->ncaps && i < PROG_CAPS; i++) {
		if (strncmp(a->caps[i].name, name, BOOTINFO_NAME) != 0)
			continue;
		*cap = rt_root_ref(a->caps[i].slot);
		if (info)
			*info = a->caps[i];
		return ERR_OK;
	}
	return ERR_NOENT;
}
