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
 *
 * Both flush global TLB entries after the CR3 load, which alone keeps
 * them (SDM Vol. 3A §4.10.4.1): a global entry left by the loader's tables
 * could otherwise map the kernel's data address to the boot core's copy.
 * Toggling CR4.PGE flushes every entry (§4.10.4.1).
 */

/* Flushes the whole TLB, global entries included, if CR4.PGE is on. */
.macro FLUSH_GLOBAL
	movq %cr4, %rax
	testq $0x80, %rax	/* CR4.PGE, bit 7 */
	jz 9f
	andq $~0x80, %rax
	movq %rax, %cr4
	orq $0x80, %rax
	movq %rax, %cr4
9:
.endm
	.text
	.globl arch_space_enter
	.type arch_space_enter, @function
arch_space_enter:
	movq %rdi, %cr3
	FLUSH_GLOBAL
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
	movq 24(%rdi), %rdx	/* the record */
	movq 0(%rdx), %rcx	/* its page tables */
	movq %rcx, %cr3
	FLUSH_GLOBAL
	movq 8(%rdx), %rsp	/* its stack, mapped from here on */
	xorl %ebp, %ebp
	movq %rdx, %rdi
	call kmain_ap
1:	cli
	hlt
	jmp 1b
	.size arch_ap_entry, . - arch_ap_entry

	.section .note.GNU-stack, "", @progbits
