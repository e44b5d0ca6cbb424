/* A program's memory and capability slots (user/README.md, "The runtime").
 *
 * Slots: the runtime hands out the empty slots of the program's root
 * CNode from free_first on (tessera/bootinfo.h), keeping the last
 * RT_SLOT_CNODES root slots for CNodes of 2^RT_CNODE_BITS slots that it
 * retypes from the budget when the root runs out.
 *
 * Untyped: an rt_untyped hands out power-of-two, size-aligned blocks of
 * one untyped cap (a buddy allocator of offsets); objects are retyped at
 * those offsets, and a block freed after its objects are deleted can be
 * retyped again.  rt_memory() is the program's own budget, SLOT_UNTYPED.
 *
 * Mapping: rt_map maps a frame cap into the program's own address space,
 * making the page tables on the way from the budget.  The heap and the
 * stacks are mapped lazily by the fault upcall (rt_fault_take).
 *
 * Every function here may be called with the dispatcher enabled or
 * disabled (it disables itself around its own state).
 */
#ifndef RT_MEM_H
#define RT_MEM_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/err.h>

#include "rt.h"

#define RT_PAGE        4096ull
#define RT_CNODE_BITS  8  /* the slot CNodes the runtime makes: 256 slots */
#define RT_SLOT_CNODES 32 /* at most, in the root's last slots */

/* ---- slots ---- */

/* An empty slot of the program's space.  NOMEM no budget for another
 * CNode; FULL no root slot left for one. */
enum err rt_slot_alloc(struct rt_capref *slot);

/* Gives back a slot from rt_slot_alloc (it must be empty again). */
void rt_slot_free(struct rt_capref slot);

/* The CNode that holds a slot from rt_slot_alloc, and its index there (as
 * RETYPE names its destination). */
void rt_slot_where(struct rt_capref slot, struct rt_capref *cnode, uint64_t *index);

/* CNode methods on the root CNode, every address from the root. */
enum err rt_copy(struct rt_capref dest, struct rt_capref src);
enum err rt_mint(struct rt_capref dest, struct rt_capref src, uint32_t rights);
enum err rt_delete(struct rt_capref slot);
enum err rt_revoke(struct rt_capref slot);

/* ---- untyped ---- */

#define RT_UT_MIN_BITS 12
#define RT_UT_MAX_BITS 47
#define RT_UT_ORDERS   (RT_UT_MAX_BITS - RT_UT_MIN_BITS + 1)
#define RT_UT_LIST     16 /* free blocks remembered per size */

struct rt_untyped {
	struct rt_capref cap;
	unsigned bits; /* its size: 2^bits bytes */
	uint64_t used; /* bytes handed out now */
	uint64_t lost; /* bytes freed while a list was full: never handed out again */
	uint16_t count[RT_UT_ORDERS];
	uint64_t free[RT_UT_ORDERS][RT_UT_LIST]; /* offsets of free blocks, by size */
};

/* u over the untyped cap at cap, of 2^bits bytes, all of it free. */
void rt_untyped_init(struct rt_untyped *u, struct rt_capref cap, unsigned bits);

/* The program's budget (SLOT_UNTYPED), or NULL if it has none. */
struct rt_untyped *rt_memory(void);

/* A free block of 2^bits bytes (bits at least RT_UT_MIN_BITS), at
 * *offset.  NOMEM none that large is left; RANGE bits out of range. */
enum err rt_untyped_alloc(struct rt_untyped *u, unsigned bits, uint64_t *offset);

/* Gives a block back (its objects are gone). */
void rt_untyped_free(struct rt_untyped *u, uint64_t offset, unsigned bits);

/* One object of type (obj_bits as RETYPE takes it) from a block of u, its
 * cap into slot index of the CNode at cnode; the block to *offset and
 * *bits.  The block allocator's errors, then RETYPE's. */
enum err rt_retype(struct rt_untyped *u, unsigned type, unsigned obj_bits, struct rt_capref cnode,
                   uint64_t index, uint64_t *offset, unsigned *bits);

/* As rt_retype, into a new slot of the program's (to *slot). */
enum err rt_retype_slot(struct rt_untyped *u, unsigned type, unsigned obj_bits,
                        struct rt_capref *slot, uint64_t *offset, unsigned *bits);

/* log2 of the block an object takes (at least a page). */
unsigned rt_object_block_bits(unsigned type, unsigned obj_bits);

/* ---- mapping ---- */

/* The top-table type of this program's space (CAP_PML4 or CAP_PML5). */
unsigned rt_top_type(void);

/* Maps the frame cap at frame at va in the program's own space with
 * rights (CAP_RIGHT_*), making missing page tables from the budget.
 * MAP_FRAME's errors; NOMEM no budget for a table. */
enum err rt_map(struct rt_capref frame, uint64_t va, uint32_t rights);

/* rt_map for a frame of 2^bits (CAP_PAGE_BITS or 21): a 2 MiB frame is
 * mapped as one large page, so no page table is made below its PD. */
enum err rt_map_sized(struct rt_capref frame, uint64_t va, uint32_t rights, unsigned bits);

/* A fresh zeroed frame from the budget, mapped read-write at va. */
enum err rt_map_new(uint64_t va);

/* npages of address space in the mapping area (MAP_AREA_VA), not handed
 * out again until given back; 0 when the area is spent. */
uint64_t rt_map_area(uint64_t npages);

/* Gives back npages at va from rt_map_area, nothing mapped there any more,
 * for a later rt_map_area (so the page tables under the area are made once
 * and reused, not once per mapping ever made). */
void rt_map_area_free(uint64_t va, uint64_t npages);

/* The fault upcall's memory part: whether the fault at address (vector,
 * error) was a first touch of a page of the heap or a stack region, now
 * mapped.  If not, *why says what it was. */
bool rt_fault_take(uint64_t vector, uint64_t error, uint64_t address, const char **why);

/* Pages the fault upcall has mapped so far. */
uint64_t rt_fault_pages(void);

#endif
