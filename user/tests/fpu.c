/* Floating-point and SIMD registers are the dispatcher's own: two of these
 * run on one core, each with its own value in xmm15 and its own rounding
 * mode in MXCSR, and hand the core to each other (yield) hundreds of
 * times with the value held in the register across the switch.  Ends with
 * 0, or the round at which the register came back wrong. */
#include <rt/rt.h>

#define ROUNDS 300

int main(void)
{
	uint64_t mine = 0x4000000000000000ull ^ ((uint64_t)rt_frame()->id << 20);
	uint32_t mxcsr = 0x1f80 | (rt_frame()->id & 1 ? 0x6000 : 0x2000); /* rounding */

	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t back, d = rt_depth();
		register uint64_t rax __asm__("rax") = CAP_INV_DISP_YIELD;
		register uint64_t rdi __asm__("rdi") = rt_cap(SLOT_DISPATCHER);
		register uint64_t rsi __asm__("rsi") = d;
		register uint64_t rdx __asm__("rdx") = 0, r10 __asm__("r10") = 0;
		register uint64_t r8 __asm__("r8") = 0, r9 __asm__("r9") = 0;
		register uint64_t r12 __asm__("r12") = 0, r13 __asm__("r13") = 0;
		register uint64_t r14 __asm__("r14") = 0, r15 __asm__("r15") = 0;
		__asm__ volatile("movq %[v], %%xmm15\n\t"
		                 "syscall\n\t"
		                 "movq %%xmm15, %[b]"
		                 : [b] "=r"(back), "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx),
		                   "+r"(r10), "+r"(r8), "+r"(r9), "+r"(r12)
		                 : [v] "r"(mine), "r"(r13), "r"(r14), "r"(r15)
		                 : "rcx", "r11", "xmm15", "memory");
		if (rax != ERR_OK)
			return 50;
		if (back != mine)
			return 100 + i;
		uint32_t now;
		__asm__ volatile("stmxcsr %0" : "=m"(now));
		if ((now & 0x6000) != (mxcsr & 0x6000))
			return 1000 + i;
	}
	return 0;
}
