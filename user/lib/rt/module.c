/* Boot modules: finding and mapping them; see rt/module.h. */
#include <rt/heap.h>
#include <rt/mem.h>
#include <rt/module.h>
#include <string/mem.h>
#include <tessera/caps.h>

unsigned rt_module_count(void)
{
	if (rt_bootinfo())
		return rt_bootinfo()->nmodules;
	return rt_args() ? rt_args()->nmodules : 0;
}

const struct bootinfo_module *rt_module_at(unsigned i)
{
	if (i >= rt_module_count() || i >= BOOTINFO_MODULES)
		return NULL;
	return rt_bootinfo() ? &rt_bootinfo()->modules[i] : &rt_args()->modules[i];
}

const struct bootinfo_module *rt_module(const char *name)
{
	for (unsigned i = 0; i < rt_module_count(); i++) {
		const struct bootinfo_module *m = rt_module_at(i);
		if (strncmp(m->name, name, sizeof m->name) == 0)
			return m;
	}
	return NULL;
}

void rt_module_unmap(struct rt_mapping *map)
{
	for (uint32_t i = 0; map->copies && i < map->pages; i++) {
		if (!map->copies[i].depth)
			continue;
		rt_delete(map->copies[i]);
		rt_slot_free(map->copies[i]);
	}
	free(map->copies);
	if (map->data) /* every page unmapped above */
		rt_map_area_free((uint64_t)(uintptr_t)map->data, map->pages);
	*map = (struct rt_mapping){0};
}

enum err rt_module_map(const struct bootinfo_module *m, struct rt_mapping *out)
{
	struct rt_capref cnode = rt_root_ref(m->cnode);
	uint64_t va;
	enum err e = ERR_OK;

	*out = (struct rt_mapping){.size = m->size, .pages = m->frames};
	if (m->size > (uint64_t)m->frames * RT_PAGE)
		return ERR_RANGE;
	out->copies = calloc(m->frames ? m->frames : 1, sizeof *out->copies);
	va = rt_map_area(m->frames);
	if (!out->copies || !va) {
		free(out->copies);
		out->copies = NULL;
		return ERR_NOMEM;
	}
	for (uint32_t i = 0; !e && i < m->frames; i++) {
		struct rt_capref slot;
		e = rt_slot_alloc(&slot);
		if (e)
			break;
		e = rt_copy(slot, rt_ref_in(cnode, m->cnode_bits, i));
		if (!e)
			out->copies[i] = slot;
		else
			rt_slot_free(slot);
		if (!e)
			e = rt_map(slot, va + i * RT_PAGE, CAP_RIGHT_READ);
	}
	if (e) {
		rt_module_unmap(out);
		rt_map_area_free(va, m->frames);
		return e;
	}
	out->data = (const void *)(uintptr_t)va;
	return ERR_OK;
}
