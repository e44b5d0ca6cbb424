/* The user library's runtime: what every program has from its start.
 *
 * A program is entered by the run upcall (tessera/dispatcher.h): the
 * runtime takes the first one to set itself up (its own upcall stack, the
 * fault entry, the resume sequence) and calls main() on the stack its
 * spawner gave it, as the first thread; every later run upcall resumes a
 * thread (rt/thread.h: round robin) where the kernel took the core away.
 * Returning from main stops the program with main's value as its code.
 *
 * Faults come to the fault upcall: a page fault in the heap or a stack's
 * region is taken by mapping a fresh frame from the program's budget
 * (rt/mem.h); anything else, or no memory left, is reported and stops the
 * program with 128 + the vector.
 *
 * Capabilities are named by their address in the program's own root CNode
 * (the well-known slots of tessera/bootinfo.h): rt_cap(slot) at depth
 * rt_depth(), or as a struct rt_capref.
 */
#ifndef RT_RT_H
#define RT_RT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/dispatcher.h>
#include <tessera/err.h>

#include "invoke.h"

/* The program's entry, after the runtime is set up. */
int main(void);

/* This program's dispatcher frame. */
struct disp_frame *rt_frame(void);

/* The address of root slot `slot`, and the depth of root addresses. */
static inline uint64_t rt_cap(uint64_t slot)
{
	return slot;
}
uint64_t rt_depth(void);

/* A capability address with its depth (tessera/caps.h). */
struct rt_capref {
	uint64_t addr;
	uint32_t depth;
};

/* Root slot `slot`. */
static inline struct rt_capref rt_root_ref(uint64_t slot)
{
	return (struct rt_capref){slot, (uint32_t)rt_depth()};
}

/* Slot i of the CNode at cnode, which has 2^bits slots. */
static inline struct rt_capref rt_ref_in(struct rt_capref cnode, unsigned bits, uint64_t i)
{
	return (struct rt_capref){cnode.addr << bits | i, cnode.depth + bits};
}

/* Writes to the log (SLOT_LOG); lines appear whole, prefixed by the core. */
void rt_write(const char *s, size_t n);
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_vprintf(const char *fmt, va_list ap);

/* Stops this program (its dispatcher, for good) with code as its exit code
 * (tessera/dispatcher.h: exit_code, read by its owner); never returns. */
_Noreturn void rt_exit(int code);

/* Exit codes the runtime itself ends a program with. */
#define RT_EXIT_FAULT    128 /* + the vector: a fault it could not take */
#define RT_EXIT_DEADLOCK 125 /* every thread waits for another */
#define RT_EXIT_ABORT    134 /* the runtime found itself misused (free of a wild pointer) */

/* Reports what went wrong and stops with RT_EXIT_ABORT. */
_Noreturn void rt_abort(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Gives the rest of this time slice away (the dispatcher's; threads:
 * rt_thread_yield). */
void rt_yield(void);

/* Disabling: while the frame's `disabled` is set the kernel never upcalls
 * the program (it resumes it where it was), so the runtime's own state
 * changes as one step for every thread.  rt_disable returns whether it
 * was enabled (pass that to rt_enable, which then enables again); before
 * disabling it touches the next 4 KiB of the stack, so that a stack page
 * is never first touched while disabled (a fault then would stop the
 * program).  Code between them must touch only memory already mapped. */
bool rt_disable(void);
void rt_enable(bool was_enabled);

/* The cycle counter, and its frequency. */
uint64_t rt_cycles(void);
uint64_t rt_cycles_hz(void);

/* This program's arguments (tessera/bootinfo.h), or NULL if its spawner
 * gave none; the monitor's boot information, or NULL in other programs. */
const struct prog_args *rt_args(void);
const struct bootinfo *rt_bootinfo(void);

#endif
