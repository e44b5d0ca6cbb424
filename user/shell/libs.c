/* The shell's commands come from command libraries (user/shlib/shlib.h,
 * docs/tile.md §16): every boot module that is a library tile with a
 * commands section.  Each is checked (lib/shell's shell_cmdlib_load: the
 * tile, its types, every signature), placed in the shell's own address
 * space (a frame per page from the budget, its bytes, relocated, then each
 * page's protection) and registered; lib/shell's generic commands come
 * last.  A library that is refused is named on the log with the field,
 * and the shell goes on without it.  The libraries call back through
 * struct shlib_host: the shell's channel to init, the log, the cycle
 * counter, a program's arguments checked against its schema. */
#include <fmt/fmt.h>
#include <rt/args.h>
#include <rt/chan.h>
#include <rt/heap.h>
#include <rt/image.h>
#include <rt/mem.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <string/mem.h>
#include <tile/tile.h>

#include "sh.h"

#define LIBS_VA    (IMAGE_LIB_VA + (4ull << 40)) /* 12 TiB: the shell imports no library */
#define LIBS_MAX   8
#define LIBS_ARENA (512u << 10) /* signatures and types, and a tile's scratch */
#define ARGV_MAX   32

static struct shell_cmds tables[LIBS_MAX];
static unsigned ntables;
static struct typed_arena arena;
static uint64_t next_va = LIBS_VA;

/* ---- what a library gets (struct shlib_host) ---- */

static void host_log(const char *s, size_t n)
{
	rt_printf("%.*s\n", (int)n, s);
}

static void host_times(struct shlib_times *t)
{
	*t = (struct shlib_times){sh_last.enter, sh_last.checked, sh_last.first, sh_last.done};
}

/* The memory the tile's manifest asks for (0: it names none). */
static uint64_t manifest_memory(const struct rt_mapping *map, const char *name)
{
	static struct tile t;
	struct tile_cap cap;
	char why[8];

	if (tile_check(map->data, map->size, name, TILE_ARCH_X86_64, &t, why, sizeof why))
		return 0;
	for (uint32_t i = 0; i < t.count[TILE_SEC_CAPS]; i++) {
		tile_record(&t, TILE_SEC_CAPS, i, &cap);
		if (cap.type == TILE_CAP_MEMORY)
			return cap.size;
	}
	return 0;
}

/* Splits line (changed in place) at blanks into argv; the count. */
static unsigned split(char *line, const char **argv)
{
	unsigned n = 0;

	for (char *p = line; *p && n < ARGV_MAX;) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		argv[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

static enum err host_program_args(const char *name, const char *line, size_t len, uint8_t *msg,
                                  size_t *size, uint64_t *memory, char *why, size_t why_len)
{
	const struct bootinfo_module *m = rt_module(name);
	struct rt_mapping map;
	char text[256];
	const char *argv[ARGV_MAX];
	enum err e = m ? rt_module_map(m, &map) : ERR_NOENT;

	if (e) {
		fmt_snprintf(why, why_len, "its module cannot be read: %s", err_str(e));
		return e;
	}
	len = len < sizeof text - 1 ? len : sizeof text - 1;
	memcpy(text, line, len);
	text[len] = 0;
	unsigned argc = split(text, argv);
	*memory = manifest_memory(&map, name);
	why[0] = 0;
	e = rt_args_encode(name, map.data, map.size, argc, argv, msg, size, why, why_len);
	rt_module_unmap(&map);
	return e;
}

#define SLEEP_TIMER_BIT (1ull << 8) /* the shell's notification: not a channel's bit */

static enum err host_sleep(uint64_t us)
{
	uint64_t bits = 0, other = 0;
	enum err e = invoke_notify_timer(SLOT_NOTIFY, rt_depth(), us, SLEEP_TIMER_BIT, NULL);

	while (!e && !(bits & SLEEP_TIMER_BIT)) {
		bits = rt_chan_wait(rt_root_ref(SLOT_NOTIFY), NULL, 0);
		other |= bits & ~SLEEP_TIMER_BIT;
	}
	rt_chan_stash(other);
	return e;
}

static const struct shlib_host host = {
        .abi = SHELL_CMDLIB_ABI,
        .ask = con_ask,
        .answer = con_answer,
        .abandon = con_abandon,
        .log = host_log,
        .cycles = rt_cycles,
        .cycles_hz = rt_cycles_hz,
        .times = host_times,
        .program_args = host_program_args,
        .alloc = typed_arena_alloc,
        .make_list = shell_make_list,
        .make_record = shell_make_record,
        .sleep = host_sleep,
};

/* ---- placing a library ---- */

static uint8_t *word_at(void *ctx, uint64_t offset)
{
	return (uint8_t *)(uintptr_t)(*(uint64_t *)ctx + offset);
}

/* The tile's pages at base: frames from the budget mapped writable, its
 * bytes, relocated, then each page read-only or executable as its segment
 * says (§5: never writable and executable). */
static enum err place(const struct tile *t, uint64_t base)
{
	uint32_t n = (uint32_t)(t->h.image_size / RT_PAGE);
	struct rt_capref *slots = calloc(n, sizeof *slots);
	enum err e = slots ? ERR_OK : ERR_NOMEM;
	uint64_t offset;
	unsigned bits;

	for (uint32_t p = 0; !e && p < n; p++) {
		uint8_t page[RT_PAGE];
		int seg = tile_page(t, p * RT_PAGE, page);
		if (seg < 0)
			continue;
		e = rt_retype_slot(rt_memory(), CAP_FRAME, CAP_PAGE_BITS, &slots[p], &offset,
		                   &bits);
		if (!e)
			e = rt_map(slots[p], base + p * RT_PAGE, CAP_RIGHT_READ | CAP_RIGHT_WRITE);
		if (!e)
			memcpy((void *)(uintptr_t)(base + p * RT_PAGE), page, RT_PAGE);
	}
	if (!e)
		tile_relocate(t, base, NULL, word_at, &base);
	for (uint32_t p = 0; !e && p < n; p++) {
		uint8_t page[RT_PAGE];
		int seg = tile_page(t, p * RT_PAGE, page);
		if (seg < 0)
			continue;
		uint32_t prot = t->segments[seg].prot, rights = CAP_RIGHT_READ;
		rights |= prot & TILE_PROT_W ? CAP_RIGHT_WRITE : 0;
		rights |= prot & TILE_PROT_X ? CAP_RIGHT_EXEC : 0;
		if (rights != (CAP_RIGHT_READ | CAP_RIGHT_WRITE))
			e = invoke_protect(slots[p].addr, slots[p].depth, rights, NULL);
	}
	free(slots); /* the frames stay mapped for good (the slots with them) */
	return e;
}

/* One module: a command library checked, placed and registered. */
static void load(const struct bootinfo_module *m)
{
	static struct tile t;
	struct rt_mapping map;
	char why[256];

	if (ntables == LIBS_MAX || rt_module_map(m, &map))
		return;
	if (tile_check(map.data, map.size, m->name, TILE_ARCH_X86_64, &t, why, sizeof why) ||
	    t.h.kind != TILE_KIND_LIBRARY || !t.count[TILE_SEC_COMMANDS]) {
		rt_module_unmap(&map); /* not a command library */
		return;
	}
	uint64_t base = next_va, used = arena.used;
	enum err e = shell_cmdlib_load(map.data, map.size, m->name, base, NULL, (void *)&host,
	                               &arena, &tables[ntables], why, sizeof why);
	if (!e && (e = place(&t, base)))
		fmt_snprintf(why, sizeof why, "%s: cannot be placed: %s", m->name, err_str(e));
	if (e) {
		rt_printf("shell: command library refused: %s\n", why);
		arena.used = used;
		rt_module_unmap(&map);
		return;
	}
	next_va += (t.h.image_size + (2ull << 20) - 1) & ~((2ull << 20) - 1);
	ntables++; /* the module stays mapped: the signatures' names are in it */
}

const struct shell_cmds *libs_load(void)
{
	void *mem = malloc(LIBS_ARENA);

	if (!mem)
		return &shell_std_cmds;
	typed_arena_init(&arena, mem, LIBS_ARENA);
	for (unsigned i = 0; i < rt_module_count(); i++)
		load(rt_module_at(i));
	for (unsigned i = 0; i < ntables; i++)
		tables[i].next = i + 1 < ntables ? &tables[i + 1] : &shell_std_cmds;
	return ntables ? &tables[0] : &shell_std_cmds;
}

/* ---- spawn's programs ---- */

static const char *prog_names[BOOTINFO_MODULES];

void libs_programs(struct shell *sh)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < rt_module_count(); i++) {
		const struct bootinfo_module *m = rt_module_at(i);
		struct rt_mapping map;
		if (rt_module_map(m, &map))
			continue;
		const struct tile_header *h = map.data;
		if (map.size >= sizeof *h && !memcmp(h->magic, TILE_MAGIC, TILE_MAGIC_BYTES) &&
		    h->kind == TILE_KIND_PROGRAM && strcmp(m->name, "monitor") != 0 &&
		    strcmp(m->name, "init") != 0)
			prog_names[n++] = m->name;
		rt_module_unmap(&map);
	}
	shell_set_programs(sh, prog_names, n);
}
