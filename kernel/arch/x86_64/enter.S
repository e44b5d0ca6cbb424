/* Entering a core's own address space (arch.h).
 *
 * arch_space_enter(root, stack_top, fn, arg): load CR3 and RSP, end the
 * frame-pointer chain, call fn(arg).  stack_top is 16-byte aligned, so RSP
 * is aligned at the call as the SysV ABI wants.
 *
 * arch_ap_entry(info): an AP released by the loader, on the loader's page
 * tables and stack, where the kernel's data address still maps the boot
 * core's data.  So nothing here reads or writes kernel data: the record
 * (struct arch_ap_start, then generic fields) comes from the smp_info's
 * extra_argument at an HHDM address that the AP's own tables map too.
 */
	.text
	.globl arch_space_enter
	.type arch_space_enter, @function
arch_space_enter:
	movq %rdi, %cr3
	movq %rsi, %rsp
	xorl %ebp, %ebp
	movq %rcx, %rdi
	call *%rdx
1:	cli
	hlt
	jmp 1b
	.size arch_space_enter, . - arch_space_enter

/* struct limine_smp_info: extra_argument at 24 (asserted in lapic.c);
 * struct arch_ap_start: root at 0, stack_top at 8. */
	.globl arch_ap_entry
	.type arch_ap_entry, @function
arch_ap_entry:
	cli
	cld
	movq 24(%rdi), %rax	/* the record */
	movq 0(%rax), %rcx	/* its page tables */
	movq %rcx, %cr3
	movq 8(%rax), %rsp	/* its stack, mapped from here on */
	xorl %ebp, %ebp
	movq %rax, %rdi
	call kmain_ap
1:	cli
	hlt
	jmp 1b
	.size arch_ap_entry, . - arch_ap_entry

	.section .note.GNU-stack, "", @progbits
