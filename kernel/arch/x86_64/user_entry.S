/* User mode: entering a dispatcher's registers and coming back.
 *
 * arch_user_enter(u) saves the kernel's callee-saved registers on its own
 * stack, records that stack point (user_kernel_rsp, also TSS.RSP0, so an
 * interrupt in user mode lands right below it) and enters u->regs with
 * IRETQ (SDM Vol. 3A §6.14.3: the frame is SS, RSP, RFLAGS, CS, RIP), or
 * SYSRET when the registers allow it (below).  It
 * returns to its caller when user mode is left: SYSCALL (syscall_entry
 * below) or an interrupt or exception (user.c: arch_user_trap, called by
 * the IDT dispatch for a frame from ring 3), both of which store the user
 * registers in u and end in user_return.
 *
 * Offsets into struct arch_user: user.c checks them with _Static_assert.
 */
#define U_RAX    0
#define U_RBX    8
#define U_RCX    16
#define U_RDX    24
#define U_RSI    32
#define U_RDI    40
#define U_RBP    48
#define U_RSP    56
#define U_R8     64
#define U_R9     72
#define U_R10    80
#define U_R11    88
#define U_R12    96
#define U_R13    104
#define U_R14    112
#define U_R15    120
#define U_RIP    128
#define U_RFLAGS 136
#define U_EXIT   152

#define USER_CS 0x23 /* gdt.h: GDT_USER_CODE */
#define USER_SS 0x1b /* gdt.h: GDT_USER_DATA */
#define EXIT_SYSCALL 1

/* Every user register from *rdi but rdi and rsp (which the two exits
 * below load last, each its own way). */
.macro load_user_regs
	movq U_RAX(%rdi), %rax
	movq U_RBX(%rdi), %rbx
	movq U_RCX(%rdi), %rcx
	movq U_RDX(%rdi), %rdx
	movq U_RSI(%rdi), %rsi
	movq U_RBP(%rdi), %rbp
	movq U_R8(%rdi), %r8
	movq U_R9(%rdi), %r9
	movq U_R10(%rdi), %r10
	movq U_R11(%rdi), %r11
	movq U_R12(%rdi), %r12
	movq U_R13(%rdi), %r13
	movq U_R14(%rdi), %r14
	movq U_R15(%rdi), %r15
.endm

	.text
	.globl arch_user_enter
	.type arch_user_enter, @function
arch_user_enter:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	pushq %rdi			/* u, for the way back */
	movq %rsp, user_kernel_rsp(%rip)
	pushq %rdi
	movq %rsp, %rdi
	addq $8, %rdi
	call gdt_set_rsp0		/* interrupts from user mode land below */
	popq %rdi
	/* When RCX holds RIP and R11 RFLAGS (as on the way back from every
	 * system call: those two are not result registers), SYSRET makes the
	 * same state as IRETQ at a fraction of its cost (SDM Vol. 2B SYSRET:
	 * RIP <- RCX, RFLAGS <- (R11 & 3C7FD7H) | 2, CS and SS from STAR;
	 * arch_user_run has already checked that RIP is a user address, so it
	 * is canonical, and kept RFLAGS to bits that mask keeps).  NMI, #DF
	 * and #MC run on IST stacks, so the instant on the user's RSP in ring
	 * 0 is safe. */
	movq U_RCX(%rdi), %rax
	cmpq U_RIP(%rdi), %rax
	jne 1f
	movq U_R11(%rdi), %rax
	cmpq U_RFLAGS(%rdi), %rax
	jne 1f
	load_user_regs
	movq U_RSP(%rdi), %rsp
	movq U_RDI(%rdi), %rdi
	sysretq
1:
	pushq $USER_SS
	pushq U_RSP(%rdi)
	pushq U_RFLAGS(%rdi)
	pushq $USER_CS
	pushq U_RIP(%rdi)
	load_user_regs
	movq U_RDI(%rdi), %rdi
	iretq
	.size arch_user_enter, . - arch_user_enter

/* SYSCALL: RCX holds the user RIP, R11 the user RFLAGS; interrupts are off
 * (FMASK); RSP is still the user's. */
	.globl syscall_entry
	.type syscall_entry, @function
syscall_entry:
	movq %rsp, user_rsp_scratch(%rip)
	movq user_kernel_rsp(%rip), %rsp
	pushq %rax
	movq 8(%rsp), %rax		/* u */
	movq %rbx, U_RBX(%rax)
	movq %rcx, U_RCX(%rax)
	movq %rdx, U_RDX(%rax)
	movq %rsi, U_RSI(%rax)
	movq %rdi, U_RDI(%rax)
	movq %rbp, U_RBP(%rax)
	movq %r8, U_R8(%rax)
	movq %r9, U_R9(%rax)
	movq %r10, U_R10(%rax)
	movq %r11, U_R11(%rax)
	movq %r12, U_R12(%rax)
	movq %r13, U_R13(%rax)
	movq %r14, U_R14(%rax)
	movq %r15, U_R15(%rax)
	movq %rcx, U_RIP(%rax)
	movq %r11, U_RFLAGS(%rax)
	popq %rbx
	movq %rbx, U_RAX(%rax)
	movq user_rsp_scratch(%rip), %rbx
	movq %rbx, U_RSP(%rax)
	movl $EXIT_SYSCALL, U_EXIT(%rax)
	jmp user_return
	.size syscall_entry, . - syscall_entry

/* Back to arch_user_enter's caller, from the recorded stack point. */
	.globl arch_user_return
	.type arch_user_return, @function
arch_user_return:
	movq user_kernel_rsp(%rip), %rsp
user_return:
	popq %rdi
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size arch_user_return, . - arch_user_return

	.section .note.GNU-stack, "", @progbits
