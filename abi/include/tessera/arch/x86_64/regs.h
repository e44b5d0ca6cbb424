/* x86_64: a dispatcher's registers as the kernel saves and restores them
 * (the save areas of the dispatcher frame, tessera/dispatcher.h), and the
 * system call's register convention (tessera/syscall.h).
 */
#ifndef TESSERA_ARCH_X86_64_REGS_H
#define TESSERA_ARCH_X86_64_REGS_H

#include <stddef.h>
#include <stdint.h>

/* Every user-visible register: the general ones, the instruction pointer,
 * the flags and the FS base (thread-local storage).  The kernel restores
 * rflags with only the arithmetic flags, DF and the trap flag's absence
 * kept (IF always set, IOPL 0), and refuses a rip outside the lower half. */
struct arch_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags, fs_base;
};
_Static_assert(sizeof(struct arch_regs) == 19 * 8, "ABI: struct arch_regs");
_Static_assert(offsetof(struct arch_regs, rsp) == 7 * 8, "ABI: rsp");
_Static_assert(offsetof(struct arch_regs, rip) == 16 * 8, "ABI: rip");

/* The flags a program may set (SDM Vol. 1 §3.4.3: CF PF AF ZF SF DF OF). */
#define ARCH_USER_RFLAGS 0xcd5ull
#define ARCH_RFLAGS_IF   0x200ull

/* The system call (`syscall`; SDM Vol. 2B SYSCALL): an invocation
 * (tessera/caps.h, struct cap_invocation_args) in registers:
 *   rax method, rdi cap, rsi depth, arguments rdx r10 r8 r9 r12 r13 r14 r15;
 * and its result:
 *   rax err, results rdi rsi rdx r10 r8 r9 r12.
 * rcx and r11 are lost (the CPU uses them); every other register, r13 to
 * r15 included, is kept. */
#define ARCH_SYSCALL_ARGS    8
#define ARCH_SYSCALL_RESULTS 7

#endif
