/* bios_call(): the stage's only way back to real mode (see bioscall.h).
 *
 * Long mode -> compatibility mode -> paging off (leaves IA-32e mode, Intel
 * SDM vol. 3A 9.8.5.4) -> 16-bit protected mode -> real mode; the interrupt
 * is issued as PUSHF + far CALL through the IVT entry, which is what INT
 * does; then the same way back up.  The registers travel through a copy in
 * low memory that real mode reaches with segment 0, so this file's code and
 * data must lie below 64 KiB (the linker script checks).
 */

#include <x86/x86.h>

#include "bioscall.h"
#include "gdt.h"
#include "stage.h"

	.section .text16, "ax"
	.code64
	.globl	bios_call
bios_call:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	pushfq
	cli
	mov	%dil, rm_intno
	mov	%rsi, rm_caller_regs
	mov	$rm_regs, %edi
	mov	$(BIOS_REGS_SIZE / 8), %ecx
	cld
	rep movsq
	mov	%cr3, %rax
	mov	%eax, rm_saved_cr3
	mov	%rsp, rm_saved_rsp
	sidt	rm_saved_idt

	pushq	$GDT_CODE32		/* to compatibility mode */
	pushq	$1f
	lretq

	.code32
1:	mov	$GDT_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$RM_STACK_TOP, %esp
	mov	%cr0, %eax		/* paging off: out of IA-32e mode */
	and	$~X86_CR0_PG, %eax
	mov	%eax, %cr0
	mov	$X86_MSR_EFER, %ecx
	rdmsr
	and	$~X86_EFER_LME, %eax
	wrmsr
	ljmp	$GDT_CODE16, $2f

	.code16
2:	mov	$GDT_DATA16, %ax	/* 64 KiB limits for real mode */
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	mov	%ax, %ss
	mov	%cr0, %eax
	and	$~X86_CR0_PE, %eax
	mov	%eax, %cr0
	ljmp	$0, $3f

3:	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	mov	%ax, %ss
	mov	$RM_STACK_TOP, %sp
	lidt	rm_ivt_desc
	movzbw	rm_intno, %bx		/* handler's far pointer from the IVT */
	shl	$2, %bx
	mov	(%bx), %eax
	mov	%eax, rm_target

	mov	rm_regs + BIOS_REGS_ES, %ax
	mov	%ax, %es
	pushw	rm_regs + BIOS_REGS_DS
	mov	rm_regs + BIOS_REGS_EAX, %eax
	mov	rm_regs + BIOS_REGS_EBX, %ebx
	mov	rm_regs + BIOS_REGS_ECX, %ecx
	mov	rm_regs + BIOS_REGS_EDX, %edx
	mov	rm_regs + BIOS_REGS_ESI, %esi
	mov	rm_regs + BIOS_REGS_EDI, %edi
	mov	rm_regs + BIOS_REGS_EBP, %ebp
	popw	%ds
	sti
	pushfw
	lcallw	*%cs:rm_target
	cli
	mov	%eax, %cs:rm_regs + BIOS_REGS_EAX
	mov	%ebx, %cs:rm_regs + BIOS_REGS_EBX
	mov	%ecx, %cs:rm_regs + BIOS_REGS_ECX
	mov	%edx, %cs:rm_regs + BIOS_REGS_EDX
	mov	%esi, %cs:rm_regs + BIOS_REGS_ESI
	mov	%edi, %cs:rm_regs + BIOS_REGS_EDI
	mov	%ebp, %cs:rm_regs + BIOS_REGS_EBP
	mov	%ds, %cs:rm_regs + BIOS_REGS_DS
	mov	%es, %cs:rm_regs + BIOS_REGS_ES
	pushfl
	popl	%cs:rm_regs + BIOS_REGS_EFLAGS

	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$RM_STACK_TOP, %sp
	lgdtl	bios_gdt_desc		/* the BIOS may have loaded its own */
	mov	%cr0, %eax
	or	$X86_CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$GDT_CODE32, $4f

	.code32
4:	mov	$GDT_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%cr4, %eax
	or	$X86_CR4_PAE, %eax
	mov	%eax, %cr4
	mov	rm_saved_cr3, %eax
	mov	%eax, %cr3
	mov	$X86_MSR_EFER, %ecx
	rdmsr
	or	$X86_EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$X86_CR0_PG, %eax
	mov	%eax, %cr0
	ljmp	$GDT_CODE64, $5f

	.code64
5:	mov	$GDT_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	rm_saved_rsp, %rsp
	lidt	rm_saved_idt
	mov	rm_caller_regs, %rdi
	mov	$rm_regs, %esi
	mov	$(BIOS_REGS_SIZE / 8), %ecx
	rep movsq
	popfq
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

	.section .data16, "aw"
	.balign	8
rm_regs:
	.space	BIOS_REGS_SIZE
rm_caller_regs:
	.quad	0
rm_saved_rsp:
	.quad	0
rm_saved_cr3:
	.long	0
rm_target:
	.long	0
rm_saved_idt:
	.space	16
rm_ivt_desc:
	.word	0x3ff
	.long	0
rm_intno:
	.byte	0
