/* Spawning a program from an image in memory (rt/image.h makes it ready:
 * a tile or a static ELF); see rt/spawn.h.  The
 * child's objects are addressed through the spawner's slot of its root
 * CNode (child(c, n): its slot n); the spawner writes into the child's
 * frames through a copy of their cap mapped at one scratch page. */
#include <rt/heap.h>
#include <rt/image.h>
#include <rt/spawn.h>
#include <rt/thread.h>
#include <string/mem.h>
#include <tessera/caps.h>

#define PAGE        RT_PAGE
#define STACK_PAGES (STACK_MAPPED_MIN / PAGE)
#define LEVELS      4  /* PML4 (under a PML5), PDPT, PD, PT */
#define TABLES      16 /* tables per level one child may need */
#define RW          (CAP_RIGHT_READ | CAP_RIGHT_WRITE)
#define LARGE       (1ull << CAP_LARGE_PAGE_BITS)

struct build {
	const struct spawn_args *a;
	struct spawn_child *c;
	struct rt_image img;
	struct rt_grants g;
	uint64_t next;                /* the region's next free offset */
	uint64_t large_next;          /* the next free offset of c->large */
	uint64_t image_pages, blocks; /* pages to load; 2 MiB blocks they touch */
	unsigned image_bits;
	uint32_t image_next; /* the image CNode's next free slot */
	uint64_t tables[LEVELS][TABLES];
	unsigned ntables[LEVELS];
};

static struct rt_mutex lock; /* one spawn at a time: the scratch page and buffer */
static struct rt_capref scratch;
static uint64_t scratch_va, scratch_large_va; /* a 4 KiB and a 2 MiB window */
static uint8_t page_buf[PAGE];

static struct rt_capref child(const struct spawn_child *c, uint64_t n)
{
	return rt_ref_in(c->cnode, SPAWN_CNODE_BITS, n);
}

struct rt_capref spawn_slot(const struct spawn_child *c, uint64_t n)
{
	return child(c, n);
}

static struct rt_capref image_slot(const struct build *b, uint64_t k)
{
	return rt_ref_in(child(b->c, SLOT_IMAGE), b->image_bits, k);
}

static unsigned log2_up(uint64_t n)
{
	unsigned bits = 0;

	while ((1ull << bits) < n)
		bits++;
	return bits;
}

/* The image, made ready (rt/image.h), and what the child is granted;
 * counts its pages and the 2 MiB blocks they touch. */
static enum err check_image(struct build *b)
{
	uint64_t last = ~0ull;
	enum err e = rt_image_load(b->a->name, b->a->image, b->a->size, &b->img);

	if (!e)
		e = rt_image_grants(&b->img, b->a, &b->g);
	for (uint32_t i = 0; !e && i < b->img.npages; i++) {
		uint64_t p = b->img.pages[i].va;
		b->image_pages++;
		b->blocks += (p >> 21) != last; /* a 2 MiB page: one table too many */
		last = p >> 21;
	}
	b->blocks += 2; /* the frames at BOOTINFO_VA..ARGS_VA, the stack */
	return e;
}

/* log2 of the region: the root CNode, the image CNode after it (aligned
 * to its size), then a page each for the top table, the frame, the
 * dispatcher, the notification, the arguments, the image's 4 KiB pages,
 * the stack and the tables.  The image's 2 MiB frames come from a block
 * of their own (c->large), so none is rounded up with the small ones. */
static unsigned region_bits(struct build *b)
{
	uint64_t tables = LEVELS * b->blocks;
	uint64_t slots = b->image_pages + STACK_PAGES + tables;
	uint64_t small = b->image_pages - b->img.nlarge;

	b->image_bits = log2_up(slots) < 6 ? 6 : log2_up(slots);
	uint64_t root = 1ull << (SPAWN_CNODE_BITS + CAP_SLOT_BITS);
	uint64_t image = 1ull << (b->image_bits + CAP_SLOT_BITS);
	uint64_t bytes =
	        (image > root ? image : root) + image + PAGE * (5 + small + STACK_PAGES + tables);
	return log2_up(bytes) < 12 ? 12 : log2_up(bytes);
}

/* One object from the region (a 2 MiB frame: from c->large) into slot
 * index of the CNode at cnode. */
static enum err obj(struct build *b, unsigned type, unsigned obj_bits, struct rt_capref cnode,
                    uint64_t index)
{
	uint64_t size = 1ull << rt_object_block_bits(type, obj_bits);
	bool large = type == CAP_FRAME && obj_bits == CAP_LARGE_PAGE_BITS;
	uint64_t *next = large ? &b->large_next : &b->next;
	uint64_t at = (*next + size - 1) & ~(size - 1);
	struct rt_capref from = large ? b->c->large : b->c->region;

	if (at + size > 1ull << (large ? b->c->large_bits : b->c->region_bits) || !from.depth)
		return ERR_NOMEM;
	enum err e = invoke_retype(from.addr, from.depth, type, obj_bits, at, 1, cnode.addr,
	                           cnode.depth, index, NULL);
	if (!e)
		*next = at + size;
	return e;
}

/* An object in the child's root slot n. */
static enum err own(struct build *b, unsigned type, unsigned obj_bits, uint64_t n)
{
	return obj(b, type, obj_bits, b->c->cnode, n);
}

/* Writes n bytes at offset into the frame of 2^bits at frame. */
static enum err fill(struct rt_capref frame, unsigned bits, uint64_t offset, const void *src,
                     size_t n)
{
	uint64_t va = bits == CAP_LARGE_PAGE_BITS ? scratch_large_va : scratch_va;
	enum err e = rt_copy(scratch, frame);

	if (e)
		return e;
	e = rt_map_sized(scratch, va, RW, bits);
	if (!e)
		memcpy((uint8_t *)(uintptr_t)va + offset, src, n);
	enum err d = rt_delete(scratch);
	return e ? e : d;
}

/* The tables a page of 2^bits at va needs in the child's space, made once
 * each (a 2 MiB page: none below its PD). */
static enum err child_tables(struct build *b, uint64_t va, unsigned bits)
{
	static const unsigned types[LEVELS] = {CAP_PML4, CAP_PDPT, CAP_PD, CAP_PT};
	static const unsigned covers[LEVELS] = {48, 39, 30, 21};

	for (unsigned l = rt_top_type() == CAP_PML5 ? 0 : 1; l < LEVELS && covers[l] > bits; l++) {
		uint64_t base = va & ~((1ull << covers[l]) - 1);
		bool have = false;
		for (unsigned i = 0; i < b->ntables[l]; i++)
			have |= b->tables[l][i] == base;
		if (have)
			continue;
		if (b->ntables[l] == TABLES || b->image_next == 1u << b->image_bits)
			return ERR_FULL;
		uint32_t k = b->image_next++;
		struct rt_capref top = child(b->c, SLOT_VSPACE), t = image_slot(b, k);
		enum err e = obj(b, types[l], 12, child(b->c, SLOT_IMAGE), k);
		if (!e)
			e = invoke_map_table(top.addr, top.depth, t.addr, t.depth, base, NULL);
		if (e)
			return e;
		b->tables[l][b->ntables[l]++] = base;
	}
	return ERR_OK;
}

static enum err child_map(struct build *b, struct rt_capref frame, uint64_t va, uint32_t rights,
                          unsigned bits)
{
	struct rt_capref top = child(b->c, SLOT_VSPACE);
	enum err e = child_tables(b, va, bits);

	return e ? e
	         : invoke_map_frame(top.addr, top.depth, frame.addr, frame.depth, va, rights, 0,
	                            NULL);
}

/* A new frame in the image CNode holding bytes (NULL: zeros), or a copy of
 * a library's shared frame, mapped at va with rights: 4 KiB, or 2 MiB for
 * a large page (a new frame is zeroed, only its bytes are written). */
static enum err new_page(struct build *b, uint64_t va, const struct rt_image_page *pg,
                         uint32_t rights)
{
	if (b->image_next == 1u << b->image_bits)
		return ERR_FULL;
	uint32_t k = b->image_next++;
	unsigned bits = pg && pg->bits == CAP_LARGE_PAGE_BITS ? CAP_LARGE_PAGE_BITS : CAP_PAGE_BITS;
	size_t n = bits == CAP_LARGE_PAGE_BITS ? pg->nbytes : PAGE;
	enum err e = pg && pg->shared.depth ? rt_copy(image_slot(b, k), pg->shared)
	                                    : obj(b, CAP_FRAME, bits, child(b->c, SLOT_IMAGE), k);

	if (!e && pg && pg->bytes && n && !pg->shared.depth)
		e = fill(image_slot(b, k), bits, 0, pg->bytes, n);
	return e ? e : child_map(b, image_slot(b, k), va, rights, bits);
}

static enum err load(struct build *b)
{
	enum err e = ERR_OK;

	for (uint32_t i = 0; !e && i < b->img.npages; i++)
		e = new_page(b, b->img.pages[i].va, &b->img.pages[i], b->img.pages[i].rights);
	for (uint64_t i = 0; !e && i < STACK_PAGES; i++)
		e = new_page(b, STACK_TOP_VA - STACK_MAPPED_MIN + i * PAGE, NULL, RW);
	return e;
}

/* The objects every program has; the log copied in if asked. */
static enum err objects(struct build *b)
{
	struct spawn_child *c = b->c;
	struct rt_capref where;
	uint64_t index;

	rt_slot_where(c->cnode, &where, &index);
	enum err e = obj(b, CAP_CNODE, SPAWN_CNODE_BITS, where, index);
	if (!e)
		e = rt_copy(child(c, SLOT_ROOT), c->cnode);
	if (!e)
		e = own(b, CAP_CNODE, b->image_bits, SLOT_IMAGE);
	if (!e)
		e = own(b, rt_top_type(), 12, SLOT_VSPACE);
	if (!e)
		e = own(b, CAP_FRAME, CAP_PAGE_BITS, SLOT_DISP_FRAME);
	if (!e)
		e = own(b, CAP_FRAME, CAP_PAGE_BITS, SLOT_ARGS);
	if (!e)
		e = own(b, CAP_DISPATCHER, 0, SLOT_DISPATCHER);
	if (!e && b->g.notify)
		e = own(b, CAP_NOTIFY, 0, SLOT_NOTIFY);
	if (!e && b->g.log)
		e = rt_copy(child(c, SLOT_LOG), rt_root_ref(SLOT_LOG));
	for (unsigned i = 0; !e && b->g.monitor && i < b->a->ngrants; i++) {
		const struct spawn_grant *g = &b->a->grants[i];
		e = g->rights ? rt_mint(child(c, g->slot), g->src, g->rights)
		              : rt_copy(child(c, g->slot), g->src);
	}
	return e;
}

/* The dispatcher frame (its entries) and the arguments frame (its name,
 * modules: read-only copies of the module CNodes in its slots from
 * SLOT_FIRST_FREE on, and named caps after them, minted with the rights
 * granted), both mapped in the child. */
static enum err frames(struct build *b)
{
	const struct spawn_args *a = b->a;
	const struct rt_grants *g = &b->g;
	struct spawn_child *c = b->c;
	struct disp_frame f = {
	        .self = DISP_FRAME_VA, .run_entry = b->img.entry, .upcall_stack = STACK_TOP_VA};
	struct prog_args *p = (struct prog_args *)(void *)page_buf;
	enum err e = fill(child(c, SLOT_DISP_FRAME), CAP_PAGE_BITS, 0, &f, sizeof f);

	memset(page_buf, 0, PAGE);
	p->magic = PROG_ARGS_MAGIC;
	mem_strlcpy(p->name, a->name, sizeof p->name);
	p->free_first = SLOT_FIRST_FREE + g->nmodules + g->ncaps;
	for (unsigned i = 0; !e && i < g->nmodules; i++) {
		p->modules[i] = *g->modules[i];
		p->modules[i].cnode = SLOT_FIRST_FREE + i;
		e = rt_mint(child(c, SLOT_FIRST_FREE + i), rt_root_ref(g->modules[i]->cnode),
		            CAP_RIGHT_READ | CAP_RIGHT_GRANT);
	}
	p->nmodules = g->nmodules;
	for (unsigned i = 0; !e && i < g->ncaps; i++) {
		p->caps[i] = g->caps[i];
		p->caps[i].slot = SLOT_FIRST_FREE + g->nmodules + i;
		e = rt_mint(child(c, p->caps[i].slot), g->cap_src[i], g->caps[i].rights);
	}
	p->ncaps = g->ncaps;
	p->chan = g->chan ? a->chan : 0;
	p->args_size = g->args_size;
	p->config_size = g->config_size;
	memcpy(p->args, g->args, g->args_size + g->config_size);
	if (!e)
		e = fill(child(c, SLOT_ARGS), CAP_PAGE_BITS, 0, p, sizeof *p);
	if (!e)
		e = child_map(b, child(c, SLOT_DISP_FRAME), DISP_FRAME_VA, RW, CAP_PAGE_BITS);
	if (!e)
		e = child_map(b, child(c, SLOT_ARGS), ARGS_VA, CAP_RIGHT_READ, CAP_PAGE_BITS);
	return e;
}

/* A block of 2^bits of the child's untyped, retyped as an untyped into a
 * new slot of ours (*slot, *offset); nothing is left on failure. */
static enum err block(struct spawn_child *c, unsigned bits, struct rt_capref *slot,
                      uint64_t *offset)
{
	struct rt_capref where;
	uint64_t index;
	enum err e = rt_untyped_alloc(c->from, bits, offset);

	if (e)
		return e;
	e = rt_slot_alloc(slot);
	if (!e) {
		rt_slot_where(*slot, &where, &index);
		e = invoke_retype(c->from->cap.addr, c->from->cap.depth, CAP_UNTYPED, bits, *offset,
		                  1, where.addr, where.depth, index, NULL);
		if (e)
			rt_slot_free(*slot);
	}
	if (e) {
		rt_untyped_free(c->from, *offset, bits);
		*slot = (struct rt_capref){0};
	}
	return e;
}

/* Its budget: the original kept, a copy in its SLOT_UNTYPED. */
static enum err budget(struct build *b)
{
	struct spawn_child *c = b->c;
	enum err e = block(c, b->g.budget_bits, &c->budget, &c->budget_offset);

	if (e)
		return e;
	c->budget_bits = b->g.budget_bits;
	return rt_copy(child(c, SLOT_UNTYPED), c->budget);
}

/* Set up, watched (its frame read-only in our space), started. */
static enum err start(struct build *b)
{
	struct spawn_child *c = b->c;
	struct rt_capref d = child(c, SLOT_DISPATCHER), v = child(c, SLOT_VSPACE),
	                 f = child(c, SLOT_DISP_FRAME);
	unsigned prio = b->a->priority ? b->a->priority : SPAWN_PRIORITY;
	enum err e = invoke_disp_setup(d.addr, d.depth, c->cnode.addr, c->cnode.depth, v.addr,
	                               v.depth, f.addr, f.depth, DISP_FRAME_VA, prio, NULL);
	uint64_t va = rt_map_area(1);

	if (!e)
		e = va ? rt_slot_alloc(&c->watch) : ERR_NOMEM;
	if (!e)
		e = rt_mint(c->watch, f, CAP_RIGHT_READ);
	if (!e)
		e = rt_map(c->watch, va, CAP_RIGHT_READ);
	if (!e)
		c->frame = (const volatile struct disp_frame *)(uintptr_t)va;
	else if (va)
		rt_map_area_free(va, 1); /* nothing mapped there: the watch is made last */
	if (!e && b->a->end_notify.depth)
		e = invoke_disp_notify(d.addr, d.depth, b->a->end_notify.addr,
		                       b->a->end_notify.depth, b->a->end_bits, NULL);
	return e ? e : invoke_disp_start(d.addr, d.depth, NULL);
}

/* One block of the child's back to c->from: everything made from it
 * (revoke), then the block itself. */
static enum err give_back(struct spawn_child *c, struct rt_capref *blk, uint64_t offset,
                          unsigned bits)
{
	if (!blk->depth)
		return ERR_OK;
	enum err e = rt_revoke(*blk);
	if (!e)
		e = rt_delete(*blk);
	if (e)
		return e;
	rt_untyped_free(c->from, offset, bits);
	rt_slot_free(*blk);
	*blk = (struct rt_capref){0};
	return ERR_OK;
}

/* Gives back everything the child had: its budget's block (and all it
 * made from it), then the region (all its objects, the caps we hold on
 * them included) and its 2 MiB frames' block. */
static enum err reclaim(struct spawn_child *c)
{
	enum err e = give_back(c, &c->budget, c->budget_offset, c->budget_bits);

	if (!e)
		e = give_back(c, &c->region, c->region_offset, c->region_bits);
	if (!e)
		e = give_back(c, &c->large, c->large_offset, c->large_bits);
	if (e)
		return e;
	if (c->cnode.depth)
		rt_slot_free(c->cnode);
	if (c->watch.depth)
		rt_slot_free(c->watch);
	if (c->frame) /* its mapping went with the region (the watch is a copy of its frame) */
		rt_map_area_free((uint64_t)(uintptr_t)c->frame, 1);
	c->cnode = c->watch = (struct rt_capref){0};
	c->frame = NULL;
	return ERR_OK;
}

/* The region its objects come from, the block of its 2 MiB frames (if
 * any), and our slot for its root CNode. */
static enum err region(struct build *b)
{
	struct spawn_child *c = b->c;
	unsigned bits = region_bits(b);
	enum err e = block(c, bits, &c->region, &c->region_offset);

	if (!e)
		c->region_bits = bits;
	if (!e && b->img.nlarge) {
		bits = log2_up(b->img.nlarge * LARGE);
		e = block(c, bits, &c->large, &c->large_offset);
		if (!e)
			c->large_bits = bits;
	}
	return e ? e : rt_slot_alloc(&c->cnode);
}

/* The scratch slot and page, once; the 2 MiB window the first time an
 * image has large pages (address space only: 4 MiB of the mapping area,
 * no 4 KiB page ever mapped in it). */
static enum err scratch_ready(bool large)
{
	if (large && !scratch_large_va) {
		uint64_t va = rt_map_area(2 * LARGE / PAGE);
		scratch_large_va = va ? (va + LARGE - 1) & ~(LARGE - 1) : 0;
		if (!scratch_large_va)
			return ERR_NOMEM;
	}
	if (scratch.depth)
		return ERR_OK;
	scratch_va = rt_map_area(1);
	return scratch_va ? rt_slot_alloc(&scratch) : ERR_NOMEM;
}

enum err spawn_start(const struct spawn_args *a, struct spawn_child *c)
{
	struct build b = {.a = a, .c = c};
	enum err e;

	*c = (struct spawn_child){.from = a->from ? a->from : rt_memory()};
	mem_strlcpy(c->name, a->name, sizeof c->name);
	if (!c->from)
		return ERR_NOMEM;
	if (a->nmodules > BOOTINFO_MODULES ||
	    SLOT_FIRST_FREE + a->nmodules + PROG_CAPS >= 1u << SPAWN_CNODE_BITS) {
		rt_printf("spawn: %s: %u modules, at most %u\n", a->name, a->nmodules,
		          BOOTINFO_MODULES);
		return ERR_RANGE;
	}
	for (unsigned i = 0; i < a->ngrants; i++) {
		uint32_t s = a->grants[i].slot;
		if (!s || s >= SLOT_FIRST_FREE || (s <= SLOT_ARGS && s != SLOT_LOG) ||
		    (s == SLOT_LOG && a->log) || (s == SLOT_UNTYPED && a->budget_bits) ||
		    (s == SLOT_NOTIFY && a->notify)) {
			rt_printf("spawn: %s: grant to slot %u: the spawner fills that slot\n",
			          a->name, s);
			return ERR_RANGE;
		}
	}
	rt_mutex_lock(&lock);
	e = check_image(&b);
	if (e) {
		mem_strlcpy(c->why, b.g.why, sizeof c->why);
		rt_mutex_unlock(&lock);
		rt_image_free(&b.img);
		return e;
	}
	e = scratch_ready(b.img.nlarge != 0);
	if (!e)
		e = region(&b);
	if (!e)
		e = objects(&b);
	if (!e)
		e = load(&b);
	if (!e)
		e = frames(&b);
	if (!e && b.g.budget_bits)
		e = budget(&b);
	c->base = b.img.tile ? b.img.base : b.img.vbase;
	if (!e)
		e = start(&b);
	rt_mutex_unlock(&lock);
	rt_image_free(&b.img);
	if (e)
		reclaim(c);
	return e;
}

bool spawn_ended(const struct spawn_child *c)
{
	return !c->frame || c->frame->stopped;
}

int spawn_code(const struct spawn_child *c)
{
	if (!c->frame || !c->frame->stopped || c->frame->stopped == DISP_STOPPED_GONE)
		return -1;
	if (c->frame->stopped == DISP_STOPPED_FAULT)
		return 128 + (int)c->frame->fault.vector;
	return (int)c->frame->exit_code;
}

int spawn_wait(const struct spawn_child *c)
{
	while (!spawn_ended(c))
		rt_thread_yield();
	return spawn_code(c);
}

enum err spawn_kill(struct spawn_child *c)
{
	if (c->cnode.depth && c->frame && !c->frame->stopped) {
		struct rt_capref d = child(c, SLOT_DISPATCHER);
		invoke_disp_stop(d.addr, d.depth, NULL);
	}
	return reclaim(c);
}
