/* The BIOS stage's entry: 16-bit real mode at 0000:8000, as the MBR left
 * it (boot drive in DL), through 32-bit protected mode into long mode, then
 * bios_main() in C.  One of the two files of the stage that hold 16- and
 * 32-bit code (the other is realmode.S).
 *
 * Before it calls C it checks that the MBR loaded the whole image (a magic
 * word at its end) and that the CPU has long mode; it identity-maps the
 * first 4 GiB with 2 MiB pages.  A20 is enabled afterwards, from C: the
 * stage and its page tables all lie below 1 MiB, where A20 does not matter.
 * Facts: Intel SDM vol. 3A 9.8 (mode switching), 4.5 (4-level paging).
 */

#include <x86/x86.h>

#include "gdt.h"
#include "stage.h"

#define PTE_PRESENT_RW	0x03
#define PDE_2M		0x83 /* present, writable, page size */

	.code16
	.section .entry16, "ax"
	.globl	stage_start
stage_start:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$RM_STACK_TOP, %sp
	ljmp	$0, $1f
1:	cld
	mov	%dl, bios_boot_drive

	/* The last word of the image proves that all of it was loaded. */
	mov	$msg_truncated, %si
	mov	$stage_tail_seg, %ax
	mov	%ax, %es
	mov	$stage_tail_off, %bx
	cmpl	$STAGE_TAIL_MAGIC, %es:(%bx)
	jne	rm_fail

	/* CPUID present (EFLAGS.ID toggles), extended leaf 0x80000001, LM bit. */
	mov	$msg_nolm, %si
	pushfl
	pop	%eax
	mov	%eax, %ecx
	xor	$X86_RFLAGS_ID, %eax
	push	%eax
	popfl
	pushfl
	pop	%eax
	push	%ecx
	popfl
	cmp	%eax, %ecx
	je	rm_fail
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	rm_fail
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jnc	rm_fail

	lgdtl	bios_gdt_desc
	mov	%cr0, %eax
	or	$X86_CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$GDT_CODE32, $pm32

/* Prints "tessera-loader: " and the message at SI on screen and COM1, halts. */
rm_fail:
	push	%si
	mov	$msg_prefix, %si
	call	rm_puts
	pop	%si
	call	rm_puts
	mov	$msg_newline, %si
	call	rm_puts
2:	cli
	hlt
	jmp	2b

rm_puts:
	lodsb
	test	%al, %al
	jz	4f
	mov	%al, %cl
	mov	$0x3fd, %dx		/* COM1 line status: wait for THR empty */
	mov	$0xffff, %di
3:	in	%dx, %al
	test	$0x20, %al
	jnz	5f
	dec	%di
	jnz	3b
5:	mov	$0x3f8, %dx
	mov	%cl, %al
	out	%al, %dx
	mov	$0x0e, %ah
	mov	$0x0007, %bx
	int	$0x10
	jmp	rm_puts
4:	ret

	.code32
pm32:
	mov	$GDT_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	mov	%ax, %ss
	mov	$RM_STACK_TOP, %esp

	mov	$__bss_start, %edi	/* the image does not carry .bss */
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep stosb

	/* PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 2 MiB pages */
	movl	$(bios_boot_pdpt + PTE_PRESENT_RW), bios_boot_pml4
	mov	$bios_boot_pdpt, %edi
	mov	$(bios_boot_pd + PTE_PRESENT_RW), %eax
	mov	$4, %ecx
6:	mov	%eax, (%edi)
	add	$4096, %eax
	add	$8, %edi
	loop	6b
	mov	$bios_boot_pd, %edi
	mov	$PDE_2M, %eax
	xor	%edx, %edx		/* high half of the entry: bits 32+ of 4 GiB */
	mov	$2048, %ecx
7:	mov	%eax, (%edi)
	mov	%edx, 4(%edi)
	add	$0x200000, %eax
	adc	$0, %edx
	add	$8, %edi
	loop	7b

	mov	%cr4, %eax
	or	$X86_CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$bios_boot_pml4, %eax
	mov	%eax, %cr3
	mov	$X86_MSR_EFER, %ecx
	rdmsr
	or	$X86_EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$X86_CR0_PG, %eax
	mov	%eax, %cr0
	ljmp	$GDT_CODE64, $lm64

	.code64
lm64:
	mov	$GDT_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	xor	%ax, %ax
	mov	%ax, %fs
	mov	%ax, %gs
	mov	$bios_stack_top, %esp
	movzbl	bios_boot_drive, %edi
	call	bios_main
8:	cli
	hlt
	jmp	8b

	.section .data16, "aw"
	.balign	8
/* Intel SDM vol. 3A 3.4.5: limit 15:0, base 23:0, access byte, flags and
 * limit 19:16, base 31:24. */
	.globl	bios_gdt
bios_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* GDT_CODE64: L=1, present, exec/read */
	.quad	0x00cf92000000ffff	/* GDT_DATA: 4 GiB, read/write */
	.quad	0x00cf9a000000ffff	/* GDT_CODE32: 4 GiB, D=1 */
	.quad	0x00009a000000ffff	/* GDT_CODE16: 64 KiB, D=0 */
	.quad	0x000092000000ffff	/* GDT_DATA16: 64 KiB */
bios_gdt_end:
	.balign	8
	.globl	bios_gdt_desc
bios_gdt_desc:
	.word	bios_gdt_end - bios_gdt - 1
	.long	bios_gdt
	.globl	bios_boot_drive
bios_boot_drive:
	.byte	0

msg_prefix:	.asciz	"tessera-loader: "
msg_newline:	.asciz	"\r\n"
msg_truncated:	.asciz	"stage image truncated (bad sector count in the MBR?)"
msg_nolm:	.asciz	"this CPU has no 64-bit long mode"

	.section .stage_tail, "a"
	.long	STAGE_TAIL_MAGIC

	.section .bss
	.balign	4096
	.globl	bios_boot_pml4
bios_boot_pml4:
	.space	4096
bios_boot_pdpt:
	.space	4096
bios_boot_pd:
	.space	4 * 4096
	.balign	16
	.space	STAGE_STACK_SIZE
	.globl	bios_stack_top
bios_stack_top:
