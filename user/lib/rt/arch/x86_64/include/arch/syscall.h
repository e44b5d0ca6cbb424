/* The system call instruction with the registers of
 * tessera/arch/x86_64/regs.h. */
#ifndef RT_ARCH_SYSCALL_H
#define RT_ARCH_SYSCALL_H

#include <tessera/caps.h>

static inline void rt_syscall(const struct cap_invocation_args *a, struct cap_invocation_result *r)
{
	register uint64_t rax __asm__("rax") = a->method;
	register uint64_t rdi __asm__("rdi") = a->cap;
	register uint64_t rsi __asm__("rsi") = a->depth;
	register uint64_t rdx __asm__("rdx") = a->arg[0];
	register uint64_t r10 __asm__("r10") = a->arg[1];
	register uint64_t r8 __asm__("r8") = a->arg[2];
	register uint64_t r9 __asm__("r9") = a->arg[3];
	register uint64_t r12 __asm__("r12") = a->arg[4];
	register uint64_t r13 __asm__("r13") = a->arg[5];
	register uint64_t r14 __asm__("r14") = a->arg[6];
	register uint64_t r15 __asm__("r15") = a->arg[7];

	__asm__ volatile("syscall"
	                 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8),
	                   "+r"(r9), "+r"(r12)
	                 : "r"(r13), "r"(r14), "r"(r15)
	                 : "rcx", "r11", "memory");
	r->err = rax;
	r->value[0] = rdi;
	r->value[1] = rsi;
	r->value[2] = rdx;
	r->value[3] = r10;
	r->value[4] = r8;
	r->value[5] = r9;
	r->value[6] = r12;
}

#endif
