/* Backtraces by walking frame pointers (the kernel is built with
 * -fno-omit-frame-pointer), symbolised with ksym. */
#ifndef KERNEL_BACKTRACE_H
#define KERNEL_BACKTRACE_H

#include <stddef.h>
#include <stdint.h>

#define BACKTRACE_MAX 32

/* Stores up to max return addresses, innermost first, starting from the
 * frame record at fp; returns how many. */
size_t backtrace_collect(uintptr_t fp, uintptr_t *pcs, size_t max);

/* Logs a backtrace: pc first (when not 0: the faulting instruction), then
 * the return addresses found from the frame record at fp. */
void backtrace_print(uintptr_t fp, uintptr_t pc);

#endif
