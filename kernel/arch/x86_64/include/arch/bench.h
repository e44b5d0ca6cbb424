/* Bench kernel only (the bench-user image; kernel/arch/x86_64/bench_*.{c,S},
 * which the kernel proper and the test kernel leave out): bare hardware
 * round trips for the user benchmarks to be measured against.  Each is
 * for one user instruction at an address the benchmark program names;
 * every other system call or exception takes the kernel's normal path.
 * Call on the core that runs the program, with interrupts off (kernel
 * code), between two of its runs.
 */
#ifndef ARCH_BENCH_H
#define ARCH_BENCH_H

#include <stdbool.h>
#include <stdint.h>

/* ret != 0: a system call from user mode whose return address is ret
 * goes straight back to it (SYSRET), nothing saved or looked at; 0: the
 * normal entry again.  False (nothing changed) if ret is not a user
 * address. */
bool arch_bench_bare_syscall(uint64_t ret);

/* ip != 0: an invalid-opcode exception (#UD) from user mode at ip returns
 * to ip + 2, past a ud2, at once (IRETQ); 0: the normal handling again.
 * False (nothing changed) if ip is not a user address. */
bool arch_bench_bare_ud(uint64_t ip);

#endif
