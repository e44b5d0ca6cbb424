/* Boot modules a program was given (tessera/bootinfo.h, struct
 * bootinfo_module): the monitor of core 0 finds them in its boot
 * information, other programs in their arguments frame.  A module's bytes
 * are frames in a CNode; rt_module_map maps copies of those frame caps
 * read-only into the mapping area, so the module reads as one block of
 * memory.
 */
#ifndef RT_MODULE_H
#define RT_MODULE_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/err.h>

#include "rt.h"

/* The modules this program was given, and the one named name (NULL if
 * none). */
unsigned rt_module_count(void);
const struct bootinfo_module *rt_module_at(unsigned i);
const struct bootinfo_module *rt_module(const char *name);

/* A module mapped: its bytes at data. */
struct rt_mapping {
	const void *data;
	size_t size;
	uint32_t pages;
	struct rt_capref *copies; /* the frame caps mapped (heap) */
};

/* Maps module m read-only.  NOMEM no heap, budget or address space;
 * RANGE the module says it has more bytes than frames; the slot, copy and
 * map errors otherwise. */
enum err rt_module_map(const struct bootinfo_module *m, struct rt_mapping *out);

/* Undoes rt_module_map (deleting the copies unmaps them). */
void rt_module_unmap(struct rt_mapping *map);

#endif
