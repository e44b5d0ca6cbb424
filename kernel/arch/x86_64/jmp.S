/* arch_setjmp / arch_longjmp (arch.h): save and restore the SysV
 * callee-saved registers, the stack pointer and the resume address.
 * struct arch_jmp: rbx, rbp, r12, r13, r14, r15, rsp, rip.
 */
	.text
	.globl arch_setjmp
	.type arch_setjmp, @function
arch_setjmp:
	movq %rbx, 0(%rdi)
	movq %rbp, 8(%rdi)
	movq %r12, 16(%rdi)
	movq %r13, 24(%rdi)
	movq %r14, 32(%rdi)
	movq %r15, 40(%rdi)
	leaq 8(%rsp), %rdx	/* the caller's rsp after our return */
	movq %rdx, 48(%rdi)
	movq (%rsp), %rdx	/* our return address */
	movq %rdx, 56(%rdi)
	xorl %eax, %eax
	ret
	.size arch_setjmp, . - arch_setjmp

	.globl arch_longjmp
	.type arch_longjmp, @function
arch_longjmp:
	movl %esi, %eax
	testl %eax, %eax
	jnz 1f
	incl %eax		/* arch_setjmp must not appear to return 0 */
1:	movq 0(%rdi), %rbx
	movq 8(%rdi), %rbp
	movq 16(%rdi), %r12
	movq 24(%rdi), %r13
	movq 32(%rdi), %r14
	movq 40(%rdi), %r15
	movq 48(%rdi), %rsp
	jmpq *56(%rdi)
	.size arch_longjmp, . - arch_longjmp

	.section .note.GNU-stack, "", @progbits
