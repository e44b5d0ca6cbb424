/* Bench kernel only: the bare round trips of arch/bench.h.
 *
 * bench_syscall_entry is LSTAR while a bare system call is asked for.
 * SYSCALL put the user RIP in RCX and RFLAGS in R11 and left RSP the
 * user's (SDM Vol. 2B SYSCALL); the one instruction whose return address
 * is bench_syscall_ret goes back by SYSRET, which restores both (the
 * address is a user one, so canonical: SYSRET cannot fault in ring 0);
 * any other takes the normal entry with every register as SYSCALL left
 * it (CMP changes only the flags, which are the kernel's here). */
	.text
	.globl bench_syscall_entry
	.type bench_syscall_entry, @function
bench_syscall_entry:
	cmpq bench_syscall_ret(%rip), %rcx
	jne syscall_entry
	sysretq
	.size bench_syscall_entry, . - bench_syscall_entry

/* bench_ud_entry is the #UD gate of this core's bench IDT while a bare
 * exception is asked for.  #UD pushes no error code: RIP is at 0(%rsp),
 * CS at 8(%rsp) (SDM Vol. 3A §6.14.2).  A ud2 from ring 3 at bench_ud_ip
 * resumes 2 bytes on; anything else goes to the normal #UD stub with the
 * stack as the CPU left it. */
	.globl bench_ud_entry
	.type bench_ud_entry, @function
bench_ud_entry:
	pushq %rax
	movq bench_ud_ip(%rip), %rax
	cmpq %rax, 8(%rsp)
	jne 1f
	testb $3, 16(%rsp)
	jz 1f
	addq $2, 8(%rsp)
	popq %rax
	iretq
1:	popq %rax
	jmp *bench_ud_next(%rip)
	.size bench_ud_entry, . - bench_ud_entry

	.section .note.GNU-stack, "", @progbits
