/* The timed instructions of the bare hardware paths (bench.h), each at
 * one address the bench kernel is told about.
 *
 * uint64_t bench_syscalls(uint64_t n, uint64_t method): n SYSCALLs with
 * rax = method.  Through the kernel every result register (rdi rsi rdx
 * r10 r8 r9 r12, tessera/arch/x86_64/regs.h) and rcx, r11 are lost, so
 * the count lives in rbx and the method in r13 (both kept). */
	.text
	.globl bench_syscalls
	.type bench_syscalls, @function
bench_syscalls:
	pushq %rbx
	pushq %r12
	pushq %r13
	movq %rdi, %rbx
	movq %rsi, %r13
1:	movq %r13, %rax
	syscall
	.globl bench_syscall_ret
bench_syscall_ret:
	decq %rbx
	jnz 1b
	popq %r13
	popq %r12
	popq %rbx
	ret
	.size bench_syscalls, . - bench_syscalls

/* void bench_uds(uint64_t n): n times ud2 at bench_ud_ip, which the bench
 * kernel's #UD stub steps over (2 bytes). */
	.globl bench_uds
	.type bench_uds, @function
bench_uds:
	.globl bench_ud_ip
bench_ud_ip:
	ud2
	decq %rdi
	jnz bench_ud_ip
	ret
	.size bench_uds, . - bench_uds

	.section .note.GNU-stack, "", @progbits
