/* The last loader code to run: from the loader's page tables to the
 * kernel's.  Its page(s) are identity-mapped in the kernel's tables so
 * execution continues across the CR3 write.
 *
 * In: rdi -> struct arch_handoff { cr3, gdt, stack_top, entry } (read
 * before the switch, since the loader's data is not mapped after it).
 * Out: CS = 0x28, other segments 0x30, CR0.WP set, rsp = stack_top - 8
 * holding a 0 return address, every other GPR 0, rip = entry.
 */
#include <x86/x86.h>

	.text
	.p2align 6
	.globl	arch_trampoline_start, arch_trampoline_end, arch_trampoline
arch_trampoline_start:
arch_trampoline:
	cli
	cld
	mov	0(%rdi), %rax		/* cr3 */
	mov	8(%rdi), %rbx		/* GDT, HHDM address */
	mov	16(%rdi), %rdx		/* stack top, HHDM address */
	mov	24(%rdi), %rcx		/* entry */
	sub	$16, %rsp
	movw	$(7 * 8 - 1), 6(%rsp)	/* pseudo-descriptor: limit, then base */
	mov	%rbx, 8(%rsp)
	lgdt	6(%rsp)
	mov	%rax, %cr3
	mov	%rdx, %rsp
	pushq	$0x28			/* reload CS with a far return */
	lea	1f(%rip), %rax
	push	%rax
	lretq
1:	mov	$0x30, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	%cr0, %rax
	or	$X86_CR0_WP, %rax
	mov	%rax, %cr0
	pushq	$0			/* the invalid return address */
	push	%rcx			/* popped by ret below */
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%ebp, %ebp
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r14d, %r14d
	xor	%r15d, %r15d
	ret
arch_trampoline_end:
