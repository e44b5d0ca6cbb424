/* The program's capability slots and the CNode methods; see rt/mem.h. */
#include <rt/mem.h>
#include <tessera/caps.h>

#define ROOT_MAP_SLOTS 4096u /* root slots the runtime keeps track of */
#define CNODE_SLOTS    (1u << RT_CNODE_BITS)

struct slot_cnode {
	uint64_t root_slot;
	uint64_t used[CNODE_SLOTS / 64];
};

static bool ready;
static uint32_t root_first, root_end; /* root slots for caps: [first, end) */
static uint32_t cnode_first;          /* root slots for slot CNodes from here */
static uint64_t root_used[ROOT_MAP_SLOTS / 64];
static struct slot_cnode cnodes[RT_SLOT_CNODES];
static unsigned ncnodes;

/* The first root slot the spawner left empty. */
static uint32_t free_first(void)
{
	if (rt_bootinfo())
		return rt_bootinfo()->free_first;
	if (rt_args())
		return rt_args()->free_first;
	return SLOT_FIRST_FREE;
}

static void setup(void)
{
	uint64_t nroot = 1ull << rt_depth();

	ready = true;
	root_first = free_first();
	cnode_first = nroot > RT_SLOT_CNODES ? (uint32_t)(nroot - RT_SLOT_CNODES) : 0;
	root_end = cnode_first < ROOT_MAP_SLOTS ? cnode_first : ROOT_MAP_SLOTS;
	if (root_end < root_first)
		root_end = root_first;
}

/* The first clear bit of map (n bits) from `from` on; n if none. */
static uint32_t first_clear(const uint64_t *map, uint32_t from, uint32_t n)
{
	for (uint32_t i = from; i < n;) {
		if (i % 64 == 0 && map[i / 64] == ~0ull) {
			i += 64;
			continue;
		}
		if (!(map[i / 64] >> (i % 64) & 1))
			return i;
		i++;
	}
	return n;
}

/* A new slot CNode in the next root slot kept for them. */
static enum err grow(void)
{
	struct rt_untyped *u = rt_memory();
	uint64_t offset;
	unsigned bits;

	if (ncnodes == RT_SLOT_CNODES || cnode_first + ncnodes >= 1ull << rt_depth() ||
	    cnode_first + ncnodes < root_first)
		return ERR_FULL;
	if (!u)
		return ERR_NOMEM;
	struct slot_cnode *c = &cnodes[ncnodes];
	enum err e = rt_retype(u, CAP_CNODE, RT_CNODE_BITS, rt_root_ref(SLOT_ROOT),
	                       cnode_first + ncnodes, &offset, &bits);
	if (e)
		return e;
	*c = (struct slot_cnode){.root_slot = cnode_first + ncnodes};
	ncnodes++;
	return ERR_OK;
}

static enum err alloc_locked(struct rt_capref *slot)
{
	uint32_t i = first_clear(root_used, root_first, root_end);

	if (i < root_end) {
		root_used[i / 64] |= 1ull << (i % 64);
		*slot = rt_root_ref(i);
		return ERR_OK;
	}
	for (unsigned k = 0;; k++) {
		if (k == ncnodes) {
			enum err e = grow();
			if (e)
				return e;
		}
		struct slot_cnode *c = &cnodes[k];
		uint32_t j = first_clear(c->used, 0, CNODE_SLOTS);
		if (j < CNODE_SLOTS) {
			c->used[j / 64] |= 1ull << (j % 64);
			*slot = rt_ref_in(rt_root_ref(c->root_slot), RT_CNODE_BITS, j);
			return ERR_OK;
		}
	}
}

enum err rt_slot_alloc(struct rt_capref *slot)
{
	bool was = rt_disable();

	if (!ready)
		setup();
	enum err e = alloc_locked(slot);
	rt_enable(was);
	return e;
}

void rt_slot_free(struct rt_capref slot)
{
	bool was = rt_disable();

	if (slot.depth == rt_depth() && slot.addr < root_end) {
		root_used[slot.addr / 64] &= ~(1ull << (slot.addr % 64));
	} else if (slot.depth == rt_depth() + RT_CNODE_BITS) {
		uint64_t root = slot.addr >> RT_CNODE_BITS, j = slot.addr & (CNODE_SLOTS - 1);
		for (unsigned k = 0; k < ncnodes; k++)
			if (cnodes[k].root_slot == root)
				cnodes[k].used[j / 64] &= ~(1ull << (j % 64));
	}
	rt_enable(was);
}

void rt_slot_where(struct rt_capref slot, struct rt_capref *cnode, uint64_t *index)
{
	if (slot.depth == rt_depth()) {
		*cnode = rt_root_ref(SLOT_ROOT);
		*index = slot.addr;
	} else {
		*cnode = (struct rt_capref){slot.addr >> RT_CNODE_BITS, slot.depth - RT_CNODE_BITS};
		*index = slot.addr & (CNODE_SLOTS - 1);
	}
}

enum err rt_copy(struct rt_capref dest, struct rt_capref src)
{
	return invoke_copy(rt_cap(SLOT_ROOT), rt_depth(), dest.addr, dest.depth, src.addr,
	                   src.depth, NULL);
}

enum err rt_mint(struct rt_capref dest, struct rt_capref src, uint32_t rights)
{
	return invoke_mint(rt_cap(SLOT_ROOT), rt_depth(), dest.addr, dest.depth, src.addr,
	                   src.depth, rights, 0, 0, 0, NULL);
}

enum err rt_delete(struct rt_capref slot)
{
	return invoke_delete(rt_cap(SLOT_ROOT), rt_depth(), slot.addr, slot.depth, NULL);
}

enum err rt_revoke(struct rt_capref slot)
{
	return invoke_revoke(rt_cap(SLOT_ROOT), rt_depth(), slot.addr, slot.depth, NULL);
}
