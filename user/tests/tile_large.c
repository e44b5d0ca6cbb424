/* Large pages from the runtime's spawn (docs/tile.md §5): spawns tile_big,
 * whose data segment is linked 2 MiB-aligned, from its own budget; the
 * image has exactly one 2 MiB page (the segment's whole first 2 MiB, with
 * its page of file bytes), 2 MiB-aligned, the rest 4 KiB; the child
 * checks its memory and ends with 0; spawned twice, the second kill
 * leaves the budget as the first did.  kernel/sched/rt_test.c counts the 2 MiB mappings the kernel
 * made.  Ends with 0 or the number of the check that failed. */
#include <rt/image.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <rt/spawn.h>
#include <tessera/caps.h>

/* The image as spawn sees it: which pages are 2 MiB. */
static int check_image(const struct rt_mapping *map)
{
	struct rt_image img;

	if (rt_image_load("tile_big", map->data, map->size, &img))
		return 10;
	int r = img.nlarge == 1 ? 0 : 11;
	for (uint32_t i = 0; !r && i < img.npages; i++) {
		const struct rt_image_page *pg = &img.pages[i];
		if (pg->bits == CAP_LARGE_PAGE_BITS &&
		    (pg->va % (2ull << 20) || pg->nbytes != RT_PAGE))
			r = 12;
	}
	rt_image_free(&img);
	return r;
}

int main(void)
{
	const struct bootinfo_module *m = rt_module("tile_big");
	struct rt_mapping map;
	struct spawn_child c;

	if (!m || rt_module_map(m, &map))
		return 1;
	int r = check_image(&map);
	if (r)
		return r;
	uint64_t used = 0, cycles = 0;
	for (int round = 0; round < 2; round++) {
		struct spawn_args a = {
		        .name = "tile_big", .image = map.data, .size = map.size, .log = true};
		uint64_t t0 = rt_cycles();
		enum err e = spawn_start(&a, &c);
		cycles = rt_cycles() - t0;
		if (e) {
			rt_printf("tile_large: spawn tile_big: %s\n", err_str(e));
			return 3;
		}
		if (spawn_wait(&c) != 0)
			return 4;
		if (spawn_kill(&c))
			return 5;
		/* the first spawn made the spawner's scratch window: the second
		 * leaves the budget exactly as the first did */
		if (round && rt_memory()->used != used)
			return 6;
		used = rt_memory()->used;
	}
	rt_module_unmap(&map);
	rt_printf("tile_large: tile_big spawned with a 2 MiB page in %llu cycles\n",
	          (unsigned long long)cycles);
	return 0;
}
