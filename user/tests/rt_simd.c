/* Threads keep their SSE registers and MXCSR across preemption: each of
 * three threads loads a pattern of its own into xmm0..xmm15 and a rounding
 * mode of its own into MXCSR, spins (without a system call, so only the
 * timer's run upcalls switch threads, and the runtime's C code in between
 * uses SSE itself), and checks that every register still holds its pattern
 * after it has seen the others run.  Ends with 0; 1 when a register or
 * MXCSR changed (the thread and the register named on the log); 2 when
 * a thread could not start or nothing was preempted within 10 seconds. */
#include <rt/rt.h>
#include <rt/thread.h>

#define THREADS 3

static volatile uint64_t progress[THREADS];
static volatile int bad[THREADS];

/* Loads xmm0..xmm15 from in[16][2], spins until every other thread has
 * made progress (or the deadline), then stores them into out. */
static void hold(const uint64_t in[16][2], uint64_t out[16][2], unsigned me, uint64_t deadline)
{
	__asm__ volatile("movdqu 0(%0), %%xmm0\n\tmovdqu 16(%0), %%xmm1\n\t"
	                 "movdqu 32(%0), %%xmm2\n\tmovdqu 48(%0), %%xmm3\n\t"
	                 "movdqu 64(%0), %%xmm4\n\tmovdqu 80(%0), %%xmm5\n\t"
	                 "movdqu 96(%0), %%xmm6\n\tmovdqu 112(%0), %%xmm7\n\t"
	                 "movdqu 128(%0), %%xmm8\n\tmovdqu 144(%0), %%xmm9\n\t"
	                 "movdqu 160(%0), %%xmm10\n\tmovdqu 176(%0), %%xmm11\n\t"
	                 "movdqu 192(%0), %%xmm12\n\tmovdqu 208(%0), %%xmm13\n\t"
	                 "movdqu 224(%0), %%xmm14\n\tmovdqu 240(%0), %%xmm15\n\t"
	                 :
	                 : "r"(in)
	                 : "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
	                   "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
	/* the loop touches only general registers (no calls, no SSE) */
	uint64_t seen[THREADS];
	for (unsigned i = 0; i < THREADS; i++)
		seen[i] = progress[i];
	for (;;) {
		progress[me]++;
		unsigned moved = 0;
		for (unsigned i = 0; i < THREADS; i++)
			moved += i == me || progress[i] > seen[i] + 2;
		if (moved == THREADS || rt_cycles() > deadline)
			break;
	}
	__asm__ volatile("movdqu %%xmm0, 0(%0)\n\tmovdqu %%xmm1, 16(%0)\n\t"
	                 "movdqu %%xmm2, 32(%0)\n\tmovdqu %%xmm3, 48(%0)\n\t"
	                 "movdqu %%xmm4, 64(%0)\n\tmovdqu %%xmm5, 80(%0)\n\t"
	                 "movdqu %%xmm6, 96(%0)\n\tmovdqu %%xmm7, 112(%0)\n\t"
	                 "movdqu %%xmm8, 128(%0)\n\tmovdqu %%xmm9, 144(%0)\n\t"
	                 "movdqu %%xmm10, 160(%0)\n\tmovdqu %%xmm11, 176(%0)\n\t"
	                 "movdqu %%xmm12, 192(%0)\n\tmovdqu %%xmm13, 208(%0)\n\t"
	                 "movdqu %%xmm14, 224(%0)\n\tmovdqu %%xmm15, 240(%0)\n\t"
	                 :
	                 : "r"(out)
	                 : "memory");
}

static void *run(void *arg)
{
	unsigned me = (unsigned)(uintptr_t)arg;
	uint64_t in[16][2], out[16][2];
	/* rounding control (bits 13-14) differs per thread; all masked */
	uint32_t mxcsr = 0x1f80u | (me + 1) << 13, now;
	uint64_t deadline = rt_cycles() + 10 * rt_cycles_hz();

	for (unsigned r = 0; r < 16; r++) {
		in[r][0] = 0x5157000000000000ull | (uint64_t)me << 32 | r;
		in[r][1] = ~in[r][0] ^ (uint64_t)r << 48;
	}
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	for (unsigned round = 0; round < 3; round++) {
		hold(in, out, me, deadline);
		for (unsigned r = 0; r < 16; r++)
			if (out[r][0] != in[r][0] || out[r][1] != in[r][1]) {
				rt_printf("rt_simd: thread %u round %u: xmm%u is %#llx:%#llx, not "
				          "%#llx:%#llx\n",
				          me, round, r, (unsigned long long)out[r][1],
				          (unsigned long long)out[r][0],
				          (unsigned long long)in[r][1],
				          (unsigned long long)in[r][0]);
				bad[me] = 1;
				return NULL;
			}
		__asm__ volatile("stmxcsr %0" : "=m"(now));
		if (now != mxcsr) {
			rt_printf("rt_simd: thread %u: MXCSR is %#x, not %#x\n", me, now, mxcsr);
			bad[me] = 1;
			return NULL;
		}
	}
	return NULL;
}

int main(void)
{
	struct rt_thread *t[THREADS];
	int e = 0;

	for (uintptr_t i = 1; i < THREADS; i++)
		if (rt_thread_create(&t[i], run, (void *)i))
			return 2;
	run((void *)0);
	for (int i = 1; i < THREADS; i++)
		rt_thread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++)
		e |= bad[i];
	if (rt_frame()->runs < 3)
		e = 2;
	rt_printf("rt_simd: %s: %llu run upcalls\n", e ? "failed" : "ok",
	          (unsigned long long)rt_frame()->runs);
	return e;
}
