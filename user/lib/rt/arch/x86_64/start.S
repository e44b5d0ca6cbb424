/* The upcall entries, the resume sequence and the thread switch
 * (tessera/dispatcher.h; offsets: struct arch_regs, tessera/arch/x86_64/regs.h:
 * rax 0, rbx 8, rcx 16, rdx 24, rsi 32, rdi 40, rbp 48, rsp 56, r8 64 ...
 * r15 120, rip 128, rflags 136).  Both upcalls enter with rdi = the
 * dispatcher frame, on the upcall stack as after a call (rsp + 8 is
 * 16-byte aligned).
 *
 * Floating point: the CPU driver keeps each dispatcher's x87/SSE state, so
 * at an upcall the registers still hold those of the thread that was
 * interrupted.  The runtime's own C code (memcpy, the heap) uses SSE, so
 * both entries save them first (rt_upcall_fpu, FXSAVE's 512-byte image)
 * and every resume restores the resumed thread's (Intel SDM vol. 1
 * §10.5 FXSAVE/FXRSTOR). */
	.text
	.globl _start
	.type _start, @function
_start:				/* the run upcall; the first one too */
	fxsave64 rt_upcall_fpu(%rip)
	andq $-16, %rsp			/* the C ABI's alignment at the call */
	call rt_run_upcall
	ud2
	.size _start, . - _start

	.globl rt_fault_entry
	.type rt_fault_entry, @function
rt_fault_entry:			/* rsi vector, rdx error, rcx address */
	fxsave64 rt_upcall_fpu(%rip)
	andq $-16, %rsp
	call rt_fault_upcall
	ud2
	.size rt_fault_entry, . - rt_fault_entry

/* void rt_resume(const struct arch_regs *r, uint32_t *disabled,
 * const void *fpu), called disabled: becomes the registers in r and the
 * floating-point state in fpu (an FXSAVE image, 16-byte aligned), enabled.  From its first
 * instruction to its end it is the frame's critical section: if the kernel
 * takes the core away in it, it saves into the disabled area and resumes
 * here, so enabling and restoring are one step.  Nothing is written to the
 * target stack (it may end at a page not mapped yet, and a fault here
 * could not be taken): rip and rsp go through two words of the runtime's
 * own (one dispatcher per program), the flags through the stack we are on,
 * which stays ours until the jump. */
	.globl rt_resume, rt_resume_end
	.type rt_resume, @function
rt_resume:
	fxrstor64 (%rdx)
	movq 128(%rdi), %rax
	movq %rax, resume_rip(%rip)
	movq 56(%rdi), %rax
	movq %rax, resume_rsp(%rip)
	pushq 136(%rdi)			/* rflags */
	movl $0, (%rsi)			/* enabled: still in the critical section */
	movq 0(%rdi), %rax
	movq 8(%rdi), %rbx
	movq 16(%rdi), %rcx
	movq 24(%rdi), %rdx
	movq 32(%rdi), %rsi
	movq 48(%rdi), %rbp
	movq 64(%rdi), %r8
	movq 72(%rdi), %r9
	movq 80(%rdi), %r10
	movq 88(%rdi), %r11
	movq 96(%rdi), %r12
	movq 104(%rdi), %r13
	movq 112(%rdi), %r14
	movq 120(%rdi), %r15
	popfq
	movq 40(%rdi), %rdi
	movq resume_rsp(%rip), %rsp
	jmp *resume_rip(%rip)
rt_resume_end:
	.size rt_resume, . - rt_resume

/* void rt_thread_switch(struct arch_regs *save, void *stack, void *fpu),
 * called disabled: saves the caller as a thread that returns from this call
 * when resumed (callee-saved registers, rsp, rip, flags, and the
 * floating-point state into fpu: its control words are callee-saved), then calls
 * rt_thread_dispatch on stack (the upcall stack, free while disabled). */
	.globl rt_thread_switch
	.type rt_thread_switch, @function
rt_thread_switch:
	fxsave64 (%rdx)
	movq %rbx, 8(%rdi)
	movq %rbp, 48(%rdi)
	movq %r12, 96(%rdi)
	movq %r13, 104(%rdi)
	movq %r14, 112(%rdi)
	movq %r15, 120(%rdi)
	movq (%rsp), %rax
	movq %rax, 128(%rdi)		/* rip: the return address */
	leaq 8(%rsp), %rax
	movq %rax, 56(%rdi)		/* rsp: as after the return */
	pushfq
	popq 136(%rdi)
	movq $0, 0(%rdi)		/* rax: the call returns 0 */
	movq %rsi, %rsp
	andq $-16, %rsp
	call rt_thread_dispatch
	ud2
	.size rt_thread_switch, . - rt_thread_switch

	.bss
	.balign 16
	.globl rt_upcall_fpu
rt_upcall_fpu:			/* the interrupted thread's FXSAVE image */
	.zero 512
	.balign 8
resume_rip:
	.quad 0
resume_rsp:
	.quad 0

	.section .note.GNU-stack, "", @progbits
