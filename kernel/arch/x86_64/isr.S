/* Interrupt entry stubs: one per exception vector (0-31, listed in
 * isr_stubs) and one per interrupt vector (32-255, ISR_IRQ_STRIDE bytes
 * apart from isr_irq_stubs).  Each stub makes the stack uniform -- a 0
 * error code where the CPU pushes none (SDM Vol. 3A §6.13), then the
 * vector -- and joins isr_common, which saves the general registers as a
 * struct trap_frame (idt.h) and calls idt_dispatch(frame).
 *
 * Alignment: the CPU aligns RSP to 16 before pushing its 5-word frame
 * (SDM Vol. 3A §6.14.2); with the error code, the vector and 15 registers
 * that is 22 words, so RSP is 16-byte aligned at the call.
 */
	.section .data.rel.ro.isr_stubs, "aw"
	.balign 8
	.globl isr_stubs
isr_stubs:

	.text

.macro ISR_NOERR vec
	.balign 16
isr_\vec:
	pushq $0
	pushq $\vec
	jmp isr_common
	.pushsection .data.rel.ro.isr_stubs, "aw"
	.quad isr_\vec
	.popsection
.endm

.macro ISR_ERR vec
	.balign 16
isr_\vec:
	pushq $\vec
	jmp isr_common
	.pushsection .data.rel.ro.isr_stubs, "aw"
	.quad isr_\vec
	.popsection
.endm

	/* Vectors with an error code: 8, 10-14, 17, 21, 29, 30 (Table 6-1). */
	ISR_NOERR 0
	ISR_NOERR 1
	ISR_NOERR 2
	ISR_NOERR 3
	ISR_NOERR 4
	ISR_NOERR 5
	ISR_NOERR 6
	ISR_NOERR 7
	ISR_ERR 8
	ISR_NOERR 9
	ISR_ERR 10
	ISR_ERR 11
	ISR_ERR 12
	ISR_ERR 13
	ISR_ERR 14
	ISR_NOERR 15
	ISR_NOERR 16
	ISR_ERR 17
	ISR_NOERR 18
	ISR_NOERR 19
	ISR_NOERR 20
	ISR_ERR 21
	ISR_NOERR 22
	ISR_NOERR 23
	ISR_NOERR 24
	ISR_NOERR 25
	ISR_NOERR 26
	ISR_NOERR 27
	ISR_NOERR 28
	ISR_ERR 29
	ISR_ERR 30
	ISR_NOERR 31

	/* Vectors 32-255: no error code; 16 bytes apart (each stub is at most
	 * 15: push imm8 2, push imm32 5, jmp rel32 5; idt_test.c checks the
	 * vectors they report). */
	.balign 16
	.globl isr_irq_stubs
isr_irq_stubs:
	.set vec, 32
	.rept 224
	.balign 16
	pushq $0
	pushq $vec
	jmp isr_common
	.set vec, vec + 1
	.endr

	.balign 16
	.type isr_common, @function
isr_common:
	cld
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	call idt_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp /* vector and error code */
	iretq
	.size isr_common, . - isr_common

	.section .note.GNU-stack, "", @progbits
