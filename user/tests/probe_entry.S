/* The fault entry of test programs that survive their own faults, and
 * the resume that takes them back to the end of the probe (probe.h).
 * Entered like the runtime's (tessera/dispatcher.h): rdi frame, rsi
 * vector, rdx error, rcx address, on the upcall stack, disabled. */
	.text
	.globl probe_fault_entry
	.type probe_fault_entry, @function
probe_fault_entry:
	andq $-16, %rsp			/* the C ABI's alignment at the call */
	call probe_fault_upcall
	ud2
	.size probe_fault_entry, . - probe_fault_entry

/* void probe_resume(const struct arch_regs *r, uint32_t *disabled): becomes
 * the registers in r, enabled.  r is the program's own copy, which the
 * kernel never writes: once disabled is cleared the kernel may take the
 * core and later resume this sequence through the run upcall with every
 * register as it was, and r still holds the rest.  The stack is the
 * target's before disabled is cleared, so the run upcall never finds this
 * sequence on the upcall stack; rip and rflags go below the target rsp
 * (programs have no red zone). */
	.globl probe_resume
	.type probe_resume, @function
probe_resume:
	movq 56(%rdi), %rsp		/* rsp */
	pushq 128(%rdi)			/* rip */
	pushq 136(%rdi)			/* rflags */
	movl $0, (%rsi)
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
	.size probe_resume, . - probe_resume

	.section .note.GNU-stack, "", @progbits
