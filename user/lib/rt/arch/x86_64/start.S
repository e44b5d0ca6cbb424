/* The upcall entries and the resume sequence (tessera/dispatcher.h).
 * Both upcalls enter with rdi = the dispatcher frame, on the upcall stack
 * as after a call (rsp + 8 is 16-byte aligned). */
	.text
	.globl _start
	.type _start, @function
_start:				/* the run upcall; the first one too */
	call rt_run_upcall
	ud2
	.size _start, . - _start

	.globl rt_fault_entry
	.type rt_fault_entry, @function
rt_fault_entry:			/* rsi vector, rdx error, rcx address */
	call rt_fault_upcall
	ud2
	.size rt_fault_entry, . - rt_fault_entry

/* void rt_resume(struct arch_regs *r, uint32_t *disabled): becomes the
 * registers in r, enabled.  From its first instruction to its end it is
 * the frame's critical section: if the kernel takes the core away in it,
 * it saves into the disabled area and resumes here, so enabling and
 * restoring are one step.  Programs are built without a red zone, so the
 * two words pushed below the target rsp are free. */
	.globl rt_resume, rt_resume_end
	.type rt_resume, @function
rt_resume:
	movl $0, (%rsi)
	movq 56(%rdi), %rsp		/* rsp */
	pushq 128(%rdi)			/* rip */
	pushq 136(%rdi)			/* rflags */
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
	movq 40(%rdi), %rdi
	popfq
	ret
rt_resume_end:
	.size rt_resume, . - rt_resume

	.section .note.GNU-stack, "", @progbits
