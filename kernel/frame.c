/* The physical frame allocator; see frame.h. */
#include "frame.h"

#include "hhdm.h"
#include "panic.h"

/* Header of a free run, in the run's first frame. */
struct frame_run {
	uint64_t count; /* frames in the run */
	uint64_t next;  /* physical address of the next run, 0: end */
};

struct frame_pool frame_pool;

/* The run header stored in the frame at phys. */
static struct frame_run *run_at(uint64_t phys)
{
	return hhdm_ptr(phys);
}

void frame_pool_init(struct frame_pool *p)
{
	p->head = 0;
	p->free = 0;
	p->total = 0;
	p->nranges = 0;
}

enum err frame_pool_add(struct frame_pool *p, uint64_t base, uint64_t size)
{
	uint64_t start = (base + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
	uint64_t end = (base + size) & ~(FRAME_SIZE - 1);

	if (base + size < base)
		return ERR_RANGE;
	/* Physical address 0 marks the end of the free list: never use frame 0. */
	if (start == 0)
		start = FRAME_SIZE;
	if (end <= start)
		return ERR_OK;
	for (size_t i = 0; i < p->nranges; i++) {
		const struct frame_range *r = &p->ranges[i];
		if (start < r->base + r->size && r->base < end)
			return ERR_OVERLAP;
	}
	if (p->nranges == FRAME_MAX_RANGES)
		return ERR_FULL;
	p->ranges[p->nranges++] = (struct frame_range){start, end - start};

	struct frame_run *run = run_at(start);
	run->count = (end - start) / FRAME_SIZE;
	run->next = p->head;
	p->head = start;
	p->free += run->count;
	p->total += run->count;
	return ERR_OK;
}

enum err frame_pool_alloc(struct frame_pool *p, uint64_t *phys)
{
	if (!p->head)
		return ERR_NOMEM;
	struct frame_run *run = run_at(p->head);
	if (run->count == 0 || p->free == 0)
		panic("frame pool: free list and free count (%zu) disagree", p->free);
	/* Take the run's last frame; the header stays put until the run's
	 * first frame goes, which unlinks the run. */
	if (run->count == 1) {
		*phys = p->head;
		p->head = run->next;
	} else {
		run->count--;
		*phys = p->head + run->count * FRAME_SIZE;
	}
	p->free--;
	return ERR_OK;
}

int frame_pool_owns(const struct frame_pool *p, uint64_t phys)
{
	for (size_t i = 0; i < p->nranges; i++)
		if (phys - p->ranges[i].base < p->ranges[i].size)
			return 1;
	return 0;
}

void frame_pool_free(struct frame_pool *p, uint64_t phys)
{
	if ((phys & (FRAME_SIZE - 1)) || !frame_pool_owns(p, phys))
		panic("frame_free(%#llx): not a frame of this pool", (unsigned long long)phys);
	if (p->free >= p->total)
		panic("frame_free(%#llx): more frames freed than the pool holds",
		      (unsigned long long)phys);
	struct frame_run *run = run_at(phys);
	run->count = 1;
	run->next = p->head;
	p->head = phys;
	p->free++;
}

enum err frame_alloc(uint64_t *phys)
{
	return frame_pool_alloc(&frame_pool, phys);
}

void frame_free(uint64_t phys)
{
	frame_pool_free(&frame_pool, phys);
}

size_t frame_free_count(void)
{
	return frame_pool.free;
}

size_t frame_total_count(void)
{
	return frame_pool.total;
}
