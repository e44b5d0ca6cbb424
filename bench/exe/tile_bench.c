/* bench-exe's spawner (a user program the bench kernel starts, with the
 * modules bdemo, bdemo_dyn, bdemo_elf, tdemo, tbig, tbig_user): cycles of
 * rt_cycles, best of ROUNDS, for
 *   spawn        spawn_start of the same program as a static tile, a tile
 *                importing from tdemo, and a static ELF (the old path)
 *   spawn..end   spawn_start, spawn_wait (it ran to its end) and spawn_kill
 *   load         rt_image_load + rt_image_free of a program with 1,000
 *                imports (tbig_user), against one with 2 (bdemo_dyn), the
 *                libraries already loaded
 * and the modules' sizes.  Lines start with "bench-exe:". */
#include <rt/heap.h>
#include <rt/image.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <rt/spawn.h>

#define ROUNDS 8

struct prog {
	const char *name;
	struct rt_mapping map;
	uint64_t spawn, total;
};

static int measure(struct prog *p)
{
	const struct bootinfo_module *m = rt_module(p->name);

	if (!m || rt_module_map(m, &p->map))
		return 1;
	p->spawn = p->total = ~0ull;
	for (unsigned r = 0; r < ROUNDS; r++) {
		struct spawn_args a = {.name = p->name, .image = p->map.data, .size = p->map.size};
		struct spawn_child c;
		uint64_t t0 = rt_cycles();
		if (spawn_start(&a, &c))
			return 2;
		uint64_t t1 = rt_cycles();
		int code = spawn_wait(&c);
		if (spawn_kill(&c) || code != 0)
			return 3;
		uint64_t t2 = rt_cycles();
		p->spawn = t1 - t0 < p->spawn ? t1 - t0 : p->spawn;
		p->total = t2 - t0 < p->total ? t2 - t0 : p->total;
	}
	return 0;
}

static uint64_t load_cycles(const struct prog *p, uint64_t *pages)
{
	uint64_t best = ~0ull;

	for (unsigned r = 0; r < ROUNDS; r++) {
		struct rt_image img;
		uint64_t t0 = rt_cycles();
		if (rt_image_load(p->name, p->map.data, p->map.size, &img))
			return 0;
		uint64_t t = rt_cycles() - t0;
		*pages = img.npages;
		rt_image_free(&img);
		best = t < best ? t : best;
	}
	return best;
}

/* a / b as x.yy */
static void ratio(char *buf, uint64_t a, uint64_t b)
{
	uint64_t h = b ? a * 100 / b : 0;

	rt_printf("%s%llu.%02llu", buf, (unsigned long long)(h / 100),
	          (unsigned long long)(h % 100));
}

int main(void)
{
	struct prog p[] = {{.name = "bdemo"},
	                   {.name = "bdemo_dyn"},
	                   {.name = "bdemo_elf"},
	                   {.name = "tbig_user"}};
	int e = 0;

	for (unsigned i = 0; !e && i < 4; i++)
		if ((e = measure(&p[i])))
			rt_printf("bench-exe: %s failed (%d)\n", p[i].name, e);
	if (e)
		return e;
	rt_printf("bench-exe: the same program (bdemo) spawned, cycles (best of %u), ratio to the "
	          "static tile\n",
	          ROUNDS);
	for (unsigned i = 0; i < 3; i++) {
		static const char *const how[] = {"static tile", "dynamic tile (tdemo)",
		                                  "static ELF (old path)"};
		rt_printf("bench-exe:   %-22s spawn %8llu (", how[i],
		          (unsigned long long)p[i].spawn);
		ratio("", p[i].spawn, p[0].spawn);
		rt_printf(")  spawn..end %8llu (", (unsigned long long)p[i].total);
		ratio("", p[i].total, p[0].total);
		rt_printf(")  file %llu bytes\n", (unsigned long long)p[i].map.size);
	}
	uint64_t pages_big = 0, pages_small = 0;
	uint64_t big = load_cycles(&p[3], &pages_big), small = load_cycles(&p[1], &pages_small);
	if (!big || !small)
		return 4;
	rt_printf("bench-exe: load (check, relocate, resolve and type-check every import), "
	          "cycles (best of %u)\n",
	          ROUNDS);
	rt_printf("bench-exe:   tbig_user, 1000 imports %9llu (", (unsigned long long)big);
	ratio("", big, small);
	rt_printf(")  spawn %llu\n", (unsigned long long)p[3].spawn);
	rt_printf("bench-exe:   bdemo_dyn, 2 imports    %9llu (1.00)\n", (unsigned long long)small);
	return 0;
}
