/* Page-table capabilities backing real page tables.
 *
 * A PML4 cap (PML5 with 5-level paging) is the top table of an address
 * space; PDPT, PD and PT caps (and PML4 under a PML5) are linked below it at
 * an address; frame and device-frame caps are mapped into it.  The tables
 * are the caps' own memory, retyped from untyped and zeroed, and the MMU
 * walks exactly those pages.  The kernel half of a top table is this core's
 * kernel mapping, copied in when the space is first used.
 *
 * Each invocation decodes (checks everything, changes nothing) and then
 * invokes (cannot fail), as kernel/cap does.  A mapped or linked cap
 * records where in its kdata: the address and the space's registry token;
 * copies start unmapped, every cap maps at most once, and deleting or
 * revoking a cap undoes its mapping (vspace_removed, the cap_env's removed
 * hook).  Unmapping checks that the entry still refers to the cap's memory,
 * so a cap whose table or space is gone unmaps nothing.  A table is linked
 * only through its original cap, so in one place at a time, and is emptied
 * when its link goes (unmapped, deleted, or its space or parent gone):
 * entries never move with a table to where their caps' records do not
 * point, so deleting a frame or table always leaves nothing reaching it.
 *
 * Errors, in the order checked:
 *   map_frame(root, frame, va, rights, attr): TYPE frame not a (device)
 *     frame, root not a top table; PERM root without WRITE; BUSY frame
 *     mapped already; INVAL rights without READ or beyond R|W|X, attr not
 *     0/UC/WC, 1 GiB frame without 1 GiB pages; PERM a right the frame cap
 *     lacks (WRITE for a writable, EXEC for an executable mapping); ALIGN va;
 *     RANGE va outside the lower half; FULL no room for another space;
 *     NOENT a table on the way missing; EXIST something mapped there.
 *   map_table(root, table, va): TYPE; PERM root without WRITE; BUSY table
 *     linked already; PERM not the table's original cap; ALIGN va not a
 *     multiple of what the table covers;
 *     RANGE; FULL; NOENT the table above missing; EXIST slot in use.
 *   unmap(cap): TYPE not a frame or table; NOENT not mapped.
 *   protect(frame, rights): TYPE; NOENT not mapped; INVAL, PERM as map.
 *
 * No input reaches a fault or a panic: the tables walked are page-table
 * caps' memory, which retype made only where this core maps it (cap.h,
 * env->reachable), and every invoke step was checked by its decode (the
 * walker's check_ variants, the registry's room).  What can still panic
 * is another core failing to answer: the shootdown after an unmap, the
 * mirror update after a top-level link (mm.h), and the UNLOAD when a top
 * table shared with another core is destroyed (vspace_destroyed) — the
 * table's memory is free after that, so going on would let that core walk
 * freed memory.
 */
#ifndef KERNEL_MM_VSPACE_H
#define KERNEL_MM_VSPACE_H

#include <stdint.h>
#include <tessera/err.h>

#include "cap/cap.h"

struct vm_space;

/* Memory type of a frame mapping: default (RAM write-back, device frames
 * uncached), uncached, or write-combining. */
#define VSPACE_ATTR_DEFAULT 0u
#define VSPACE_ATTR_UC      1u
#define VSPACE_ATTR_WC      2u

/* Spaces one core can have in use at once. */
#define VSPACE_MAX 1024

/* The top-table type of this machine's paging (CAP_PML4 or CAP_PML5). */
unsigned vspace_root_type(void);

enum err vspace_map_frame(struct cte *root, struct cte *frame, uint64_t va, uint32_t rights,
                          unsigned attr);
enum err vspace_map_table(struct cte *root, struct cte *table, uint64_t va);
enum err vspace_unmap(struct cte *cap);
enum err vspace_protect(struct cte *frame, uint32_t rights);

/* The address space of a top-table cap (registered on first use): for
 * loading it (vm_activate).  FULL, TYPE. */
enum err vspace_space(struct cte *root, struct vm_space **out);

/* Spaces registered on this core now. */
unsigned vspace_count(void);

/* Frames of 2 MiB this core has mapped into user spaces as 2 MiB pages
 * (MAP_FRAME of a 2 MiB frame cap), since it started. */
uint64_t vspace_large_maps(void);

/* cap_env hooks: a cap leaves its slot (undo its mapping); an object is
 * destroyed (a top table: the space is retired, unloaded first). */
void vspace_removed(const struct cap *cap);
void vspace_destroyed(const struct cap *cap);

#endif
