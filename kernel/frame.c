/* This core's frames: one lib/buddy instance in this core's data; see
 * frame.h. */
#include "frame.h"

#include <buddy/buddy.h>

#include "panic.h"

static struct buddy pool;
static bool ready;

enum err frame_init(uint64_t base, uint64_t size, void *meta, size_t meta_size)
{
	enum err e = buddy_init(&pool, base, size, meta, meta_size);
	ready = e == ERR_OK;
	return e;
}

enum err frame_add(uint64_t base, uint64_t size)
{
	return ready ? buddy_add_range(&pool, base, size) : ERR_INVAL;
}

enum err frame_alloc(uint64_t *phys)
{
	return frame_alloc_block(0, phys);
}

enum err frame_alloc_block(unsigned order, uint64_t *phys)
{
	return ready ? buddy_alloc(&pool, order, phys) : ERR_NOMEM;
}

enum err frame_alloc_at(uint64_t phys, unsigned order)
{
	return ready ? buddy_alloc_at(&pool, phys, order) : ERR_BUSY;
}

void frame_free(uint64_t phys)
{
	frame_free_block(phys, 0);
}

void frame_free_block(uint64_t phys, unsigned order)
{
	enum err e = ready ? buddy_free(&pool, phys, order) : ERR_INVAL;
	if (e != ERR_OK)
		panic("frame_free(%#llx, order %u): not a block of this core's pool (%s)",
		      (unsigned long long)phys, order, err_str(e));
}

size_t frame_free_count(void)
{
	return ready ? (size_t)(buddy_free_bytes(&pool) / FRAME_SIZE) : 0;
}

size_t frame_total_count(void)
{
	return ready ? (size_t)(buddy_pool_bytes(&pool) / FRAME_SIZE) : 0;
}

void frame_span(uint64_t *base, uint64_t *size)
{
	*base = ready ? pool.base_pfn * FRAME_SIZE : 0;
	*size = ready ? (uint64_t)pool.nframes * FRAME_SIZE : 0;
}

enum err frame_check(void)
{
	return ready ? buddy_check(&pool) : ERR_INVAL;
}

struct buddy *frame_buddy(void)
{
	return ready ? &pool : NULL;
}
