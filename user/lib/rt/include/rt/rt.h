/* The user library's runtime: what every program has from its start.
 *
 * A program is entered by the run upcall (tessera/dispatcher.h): the
 * runtime takes the first one to set itself up (its own upcall stack, the
 * fault entry, the resume sequence) and calls main() on the stack its
 * spawner gave it; every later run upcall resumes the program where the
 * kernel took the core away.  Returning from main stops the program.
 *
 * Capabilities are named by their address in the program's own root CNode
 * (the well-known slots of tessera/bootinfo.h): rt_cap(slot) at depth
 * rt_depth().
 */
#ifndef RT_RT_H
#define RT_RT_H

#include <stdarg.h>
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

/* Writes to the log (SLOT_LOG); lines appear whole, prefixed by the core. */
void rt_write(const char *s, size_t n);
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_vprintf(const char *fmt, va_list ap);

/* Stops this program (its dispatcher, for good); never returns. */
_Noreturn void rt_exit(int code);

/* Gives the rest of this time slice away. */
void rt_yield(void);

/* The cycle counter, and its frequency. */
uint64_t rt_cycles(void);
uint64_t rt_cycles_hz(void);

#endif
