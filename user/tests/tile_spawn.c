/* Spawning tiles from user space (rt/image.h), from a pool as rt_spawn.c
 * does.  The manifest: a program gets exactly what its manifest names
 * from what is offered (tile_greedy checks itself), and a spawn that
 * cannot give what a manifest needs is refused.  Random bases: a program
 * whose data holds pointers runs wherever it is placed, and placements
 * differ.  Dynamic linking: two programs importing from the library tdemo
 * share its code and read-only frames (the kernel's physical addresses of
 * the frames in both children's image CNodes are counted) and have data of
 * their own; a wrong type, version or library is refused.  After every
 * kill the pool is whole again.  Arguments: command lines checked against
 * the program's schema before it starts (each refusal's exact message,
 * nothing built), defaults added, messages checked again.  Ends with 0, or the number of the check
 * that failed (kernel/sched/rt_test.c gives it the modules). */
#include <fmt/fmt.h>
#include <rt/heap.h>
#include <rt/image.h>
#include <rt/mem.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <rt/spawn.h>
#include <string/mem.h>
#include <tessera/caps.h>
#include <tile_args.h>

#define POOL_BITS 20
#define PLACINGS  4
#define MAX_BASES 512

static struct rt_untyped pool;

static enum err make_pool(void)
{
	struct rt_capref slot, cnode;
	uint64_t offset, index;
	enum err e = rt_untyped_alloc(rt_memory(), POOL_BITS, &offset);

	if (!e)
		e = rt_slot_alloc(&slot);
	if (e)
		return e;
	rt_slot_where(slot, &cnode, &index);
	e = invoke_retype(rt_memory()->cap.addr, rt_memory()->cap.depth, CAP_UNTYPED, POOL_BITS,
	                  offset, 1, cnode.addr, cnode.depth, index, NULL);
	if (!e)
		rt_untyped_init(&pool, slot, POOL_BITS);
	return e;
}

static bool pool_whole(void)
{
	struct rt_capref slot, cnode;
	uint64_t index;

	if (pool.used || rt_slot_alloc(&slot))
		return false;
	rt_slot_where(slot, &cnode, &index);
	enum err e = invoke_retype(pool.cap.addr, pool.cap.depth, CAP_UNTYPED, POOL_BITS, 0, 1,
	                           cnode.addr, cnode.depth, index, NULL);
	if (!e)
		rt_delete(slot);
	rt_slot_free(slot);
	return !e;
}

/* Spawns module name with what a offers (its name and image filled in). */
static enum err spawn(const char *name, struct spawn_args a, struct spawn_child *c)
{
	const struct bootinfo_module *m = rt_module(name);
	struct rt_mapping map;

	if (!m)
		return ERR_NOENT;
	enum err e = rt_module_map(m, &map);
	if (e)
		return e;
	a.name = name;
	a.image = map.data;
	a.size = map.size;
	a.from = &pool;
	e = spawn_start(&a, c);
	rt_module_unmap(&map);
	return e;
}

static int end(struct spawn_child *c, int want, int check)
{
	if (spawn_wait(c) != want)
		return check;
	return spawn_kill(c) || !pool_whole() ? check + 1 : 0;
}

/* Two endpoints and a notification from the pool, offered by name. */
static struct spawn_cap offered[3];

static enum err make_offers(void)
{
	static const char *const names[] = {"allowed", "secret", "bell"};
	enum err e = ERR_OK;

	for (unsigned i = 0; !e && i < 3; i++) {
		uint64_t offset;
		unsigned bits;
		offered[i].name = names[i];
		e = rt_retype_slot(rt_memory(), i < 2 ? CAP_ENDPOINT : CAP_NOTIFY, 0,
		                   &offered[i].cap, &offset, &bits);
	}
	return e;
}

static int manifest(void)
{
	const struct bootinfo_module *mods[] = {rt_module("hello")};
	struct spawn_args all = {.budget_bits = 18,
	                         .log = true,
	                         .modules = mods,
	                         .nmodules = 1,
	                         .caps = offered,
	                         .ncaps = 3};
	struct spawn_args a = all;
	struct spawn_child c;
	struct spawn_cap wrong[1] = {{"allowed", offered[2].cap}};
	struct rt_capref ro = {0};

	if (make_offers() || !mods[0])
		return 10;
	if (spawn("tile_greedy", all, &c))
		return 11;
	int e = end(&c, 0, 12);
	a.ncaps = 0; /* "allowed" not offered */
	if (!e && spawn("tile_greedy", a, &c) != ERR_NOENT)
		e = 14;
	a = all;
	a.log = false; /* nor the log */
	if (!e && spawn("tile_greedy", a, &c) != ERR_NOENT)
		e = 15;
	a = all;
	a.caps = wrong, a.ncaps = 1; /* a notification named "allowed" */
	if (!e && spawn("tile_greedy", a, &c) != ERR_TYPE)
		e = 16;
	if (!e && (rt_slot_alloc(&ro) || rt_mint(ro, offered[0].cap, CAP_RIGHT_READ)))
		e = 17;
	wrong[0].cap = ro; /* "allowed" that cannot send */
	if (!e && spawn("tile_greedy", a, &c) != ERR_PERM)
		e = 18;
	a = all;
	a.budget_bits = 16; /* rt_child's manifest asks for 128 KiB */
	if (!e && spawn("rt_child", a, &c) != ERR_RANGE)
		e = 19;
	return !e && !pool_whole() ? 20 : e;
}

/* tile_reloc placed PLACINGS times: each runs (its pointers relocated),
 * each base 2 MiB aligned in the programs' range, not all the same. */
static int placings(void)
{
	uint64_t bases[PLACINGS];
	unsigned distinct = 0;

	for (unsigned i = 0; i < PLACINGS; i++) {
		struct spawn_child c;
		if (spawn("tile_reloc", (struct spawn_args){0}, &c))
			return 30;
		bases[i] = c.base;
		int e = end(&c, 0, 31);
		if (e)
			return e;
		if (bases[i] < IMAGE_VA_MIN || bases[i] >= IMAGE_LIB_VA || bases[i] % (2u << 20))
			return 33;
		bool seen = false;
		for (unsigned k = 0; k < i; k++)
			seen |= bases[k] == bases[i];
		distinct += !seen;
	}
	rt_printf("tile_spawn: tile_reloc placed at %u different bases of %u\n", distinct,
	          PLACINGS);
	return distinct >= 2 ? 0 : 34;
}

/* The physical bases of the frames in c's image CNode into out. */
static unsigned frames_of(const struct spawn_child *c, uint64_t *out, unsigned max)
{
	struct rt_capref image = rt_ref_in(c->cnode, SPAWN_CNODE_BITS, SLOT_IMAGE);
	struct cap_results_identify id;
	unsigned n = 0;

	if (invoke_identify(image.addr, image.depth, &id) || id.type != CAP_CNODE)
		return 0;
	unsigned bits = (unsigned)id.size_bits - CAP_SLOT_BITS;
	for (uint64_t i = 0; i < 1ull << bits && n < max; i++) {
		struct rt_capref s = rt_ref_in(image, bits, i);
		if (!invoke_identify(s.addr, s.depth, &id) && id.type == CAP_FRAME)
			out[n++] = id.base;
	}
	return n;
}

/* tdemo's pages that are not writable, read from its module's header and
 * segment table by hand (docs/tile.md 2, 3, 5). */
static unsigned tdemo_readonly_pages(void)
{
	const struct bootinfo_module *m = rt_module("tdemo");
	struct rt_mapping map;
	unsigned n = 0;

	if (!m || rt_module_map(m, &map))
		return 0;
	const uint8_t *f = map.data;
	struct tile_header h;
	memcpy(&h, f, sizeof h);
	for (uint32_t i = 0; i < h.section_count; i++) {
		struct tile_section s;
		memcpy(&s, f + sizeof h + i * sizeof s, sizeof s);
		for (uint64_t k = 0;
		     s.type == TILE_SEC_SEGMENTS && k < s.size / sizeof(struct tile_segment); k++) {
			struct tile_segment seg;
			memcpy(&seg, f + s.offset + k * sizeof seg, sizeof seg);
			if (!(seg.prot & TILE_PROT_W))
				n += (unsigned)(seg.memsz / 4096);
		}
	}
	rt_module_unmap(&map);
	return n;
}

static int dynamic(void)
{
	static uint64_t a[MAX_BASES], b[MAX_BASES];
	struct spawn_child ca, cb;
	struct spawn_args log = {.log = true};
	unsigned shared = 0, want = tdemo_readonly_pages();

	if (spawn("tile_dyn", log, &ca) || spawn("tile_dyn", log, &cb))
		return 40;
	unsigned na = frames_of(&ca, a, MAX_BASES), nb = frames_of(&cb, b, MAX_BASES);
	for (unsigned i = 0; i < na; i++)
		for (unsigned k = 0; k < nb; k++)
			shared += a[i] == b[k];
	const char *name;
	uint64_t base;
	uint32_t lib_shared;
	if (!rt_image_library(0, &name, &base, &lib_shared) || strcmp(name, "tdemo") != 0)
		return 41;
	rt_printf("tile_spawn: two programs importing tdemo: %u and %u frames, %u the same "
	          "(tdemo's read-only pages: %u)\n",
	          na, nb, shared, want);
	if (want < 3 || shared != want || lib_shared != want)
		return 42;
	int e = spawn_wait(&ca) || spawn_wait(&cb) ? 43 : 0;
	if (spawn_kill(&ca) || spawn_kill(&cb) || !pool_whole())
		e = e ? e : 44;
	if (!e && spawn("tile_badtype", log, &ca) != ERR_TYPE)
		e = 47;
	if (!e && spawn("tile_badver", log, &ca) != ERR_RANGE)
		e = 48;
	if (!e && spawn("tile_nolib", log, &ca) != ERR_NOENT)
		e = 49;
	return !e && !pool_whole() ? 50 : e;
}

/* A spawn of tile_args (or name) refused before it starts, with exactly
 * the message want: nothing of it was built, the pool is whole. */
static bool refused(const char *name, struct spawn_args a, const char *want)
{
	struct spawn_child c;
	enum err e = spawn(name, a, &c);

	if (e != ERR_INVAL || strcmp(c.why, want) != 0 || c.frame || !pool_whole()) {
		rt_printf("tile_spawn: %s: %s, \"%s\"; expected \"%s\"\n", name, err_str(e), c.why,
		          want);
		return false;
	}
	return true;
}

#define ARGV(...)                                                                                \
	(struct spawn_args)                                                                      \
	{                                                                                        \
		.argv = (const char *const[]){__VA_ARGS__},                                      \
		.argc = sizeof((const char *const[]){__VA_ARGS__}) / sizeof(char *), .log = true \
	}

/* tile_args's schema (tile_args.schema): a required --cores 1..64, two
 * options with defaults, an optional capability.  Command lines are
 * checked by spawn before the program starts, every refusal with the
 * message lib/typed documents (lib/typed/README.md, "Command lines");
 * a message made for another core's spawn is checked again. */
static int arguments(void)
{
	const struct {
		struct spawn_args a;
		const char *why;
	} bad[] = {
	        {{.log = true}, "missing required option --cores (an integer 1..64)"},
	        {ARGV("--cores", "99"), "--cores: 99 is out of range 1..64"},
	        {ARGV("--cores", "three"), "--cores: expected an integer 1..64, got three"},
	        {ARGV("--cores", "3", "--size", "2"),
	         "--size: unknown option; known options: --cores, --name, --verbose, --out"},
	        {ARGV("--cores", "3", "--out", "secret"),
	         "capability 'secret': it is granted no cap of that name"},
	        {ARGV("--help"), "--help: its options are on the log; it is not started"},
	};
	const struct bootinfo_module *m = rt_module("tile_args");
	struct spawn_child c;
	struct rt_mapping map;
	uint8_t msg[64];
	size_t size = sizeof msg;
	char why[SPAWN_WHY];

	if (spawn("tile_args", ARGV("--cores", "3", "--out", "log"), &c))
		return 60;
	int e = end(&c, 3, 61);
	for (unsigned i = 0; !e && i < sizeof bad / sizeof bad[0]; i++)
		if (!refused("tile_args", bad[i].a, bad[i].why))
			e = 63 + (int)i;
	if (!e && !refused("hello", ARGV("--cores", "3"),
	                   "it takes no arguments (its tile has no argument schema)"))
		e = 70;
	/* a message, as init makes one for a program on another core */
	if (!e && (!m || rt_module_map(m, &map)))
		e = 71;
	const char *const five[] = {"--cores", "5"};
	if (!e &&
	    rt_args_encode("tile_args", map.data, map.size, 2, five, msg, &size, why, sizeof why))
		e = 72;
	if (!e &&
	    (spawn("tile_args",
	           (struct spawn_args){.args_msg = msg, .args_size = size, .log = true}, &c) ||
	     end(&c, 5, 73)))
		e = 73;
	/* another schema's identity (the little-endian first byte changed):
	 * refused, naming both (the one typedc gave tile_args.schema) */
	char want[SPAWN_WHY];
	msg[0] ^= 1;
	fmt_snprintf(want, sizeof want, "a message of type %016llx, not %016llx",
	             (unsigned long long)(TILE_ARGS_ID ^ 1), (unsigned long long)TILE_ARGS_ID);
	if (!e &&
	    !refused("tile_args",
	             (struct spawn_args){.args_msg = msg, .args_size = size, .log = true}, want))
		e = 75;
	if (m)
		rt_module_unmap(&map);
	return !e && !pool_whole() ? 69 : e;
}

int main(void)
{
	int e = make_pool() ? 1 : 0;

	if (!e)
		e = manifest();
	if (!e)
		e = placings();
	if (!e)
		e = dynamic();
	if (!e)
		e = arguments();
	rt_printf("tile_spawn: %s (check %d)\n", e ? "failed" : "ok", e);
	return e;
}
