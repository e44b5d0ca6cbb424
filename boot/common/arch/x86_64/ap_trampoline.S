/* The application processors' trampoline: from a start-up IPI to the
 * parked state of PROTOCOL.md "SMP (multiprocessor) Feature".  The only
 * 16- and 32-bit code of boot/common.
 *
 * ap_start.c copies [ap_trampoline_start, ap_trampoline_end) to offset 0 of
 * a page below 1 MiB and fills the parameter block at AP_PARAMS (layout:
 * ap_trampoline.h), then sends INIT-SIPI-SIPI to one AP at a time.  The AP
 * starts here in real mode at CS:IP = (page >> 4):0 (Intel SDM vol. 3A
 * 9.4.4, "MP Initialization Example"; 8.4.4 in older editions) and:
 *   real mode     loads the GDT copy of the block, sets CR0.PE, far jumps;
 *   32-bit        checks that it is the AP the block is for (else it halts),
 *                 copies the BSP's MTRRs (SDM 3A "MTRR Considerations in
 *                 MP Systems", cited by the protocol as 12.11.5: caches
 *                 off and flushed, MTRRs disabled, written, enabled), sets
 *                 the PAT, CR4.PAE, the transition CR3, EFER, the BSP's CR0
 *                 (paging on: SDM 3A 10.8.5 "Initializing IA-32e Mode"),
 *                 far jumps;
 *   64-bit        jumps to the page's HHDM alias, loads the kernel's GDT
 *                 (HHDM address, as the BSP has it), CR3 and its own stack,
 *                 reloads CS and the data segments, takes the BSP's CR4 (and
 *                 XCR0 with CR4.OSXSAVE) now that any bit may be set,
 *                 enables x2APIC mode if asked, takes its limine_smp_info
 *                 pointer, writes AP_CHECKIN
 *                 and parks: it polls goto_address (an aligned 64-bit load
 *                 is atomic) with PAUSE, then enters it like the BSP enters
 *                 the kernel (trampoline.S): rsp = stack top - 8 holding a 0
 *                 return address, rdi = the info pointer, other GPRs 0, IF
 *                 and DF clear.
 * The parking loop runs from the HHDM alias of the page, on the kernel's
 * tables; nothing of the parameter block is read after AP_CHECKIN.
 */
#include <x86/apic.h>
#include <x86/x86.h>

#include "ap_trampoline.h"

#define PARAM(off) AP_PARAMS + off

#define INFO_GOTO 16 /* offsetof(struct limine_smp_info, goto_address) */

	.text
	.p2align 4
	.globl	ap_trampoline_start, ap_trampoline_end
	.globl	ap_trampoline_pm32, ap_trampoline_lm64

	.code16
ap_trampoline_start:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	xor	%ebp, %ebp
	mov	%ax, %bp
	shl	$4, %ebp		/* ebp = the page's physical address */
	lgdtl	PARAM(AP_GDT_LIMIT)
	mov	%cr0, %eax
	or	$X86_CR0_PE, %al
	mov	%eax, %cr0
	ljmpl	*PARAM(AP_JMP32)	/* AP_SEL_CODE32 : ap_trampoline_pm32 */

	.code32
ap_trampoline_pm32:
	mov	$AP_SEL_DATA32, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%ax, %fs
	mov	%ax, %gs

	/* Who am I: the x2APIC id of CPUID leaf 0xb where the leaf exists,
	 * else the initial APIC id of leaf 1 (the rule of apic_cpuid_id). */
	xor	%eax, %eax
	cpuid
	mov	%eax, %esi
	mov	$1, %eax
	cpuid
	shr	$24, %ebx
	mov	%ebx, %edi
	cmp	$0xb, %esi
	jb	1f
	mov	$0xb, %eax
	xor	%ecx, %ecx
	cpuid
	test	%ebx, %ebx
	jz	1f
	mov	%edx, %edi
1:	cmp	PARAM(AP_APIC_ID)(%ebp), %edi
	jne	ap_stray

	/* The BSP's MTRRs; the list ends with IA32_MTRR_DEF_TYPE, which turns
	 * them back on. */
	mov	PARAM(AP_MSR_COUNT)(%ebp), %esi
	test	%esi, %esi
	jz	3f
	mov	%cr0, %eax
	and	$~X86_CR0_NW, %eax
	or	$X86_CR0_CD, %eax
	mov	%eax, %cr0		/* no-fill cache mode */
	wbinvd
	mov	$MSR_MTRR_DEF_TYPE, %ecx
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr				/* MTRRs off while they change */
	lea	PARAM(AP_MSRS)(%ebp), %ebx
2:	mov	0(%ebx), %ecx
	mov	8(%ebx), %eax
	mov	12(%ebx), %edx
	wrmsr
	add	$AP_MSR_SIZE, %ebx
	dec	%esi
	jnz	2b
	wbinvd				/* caching comes back with CR0 below */

3:	testl	$AP_F_PAT, PARAM(AP_FLAGS)(%ebp)
	jz	4f
	mov	$X86_MSR_PAT, %ecx
	mov	PARAM(AP_PAT)(%ebp), %eax
	mov	PARAM(AP_PAT + 4)(%ebp), %edx
	wrmsr
4:	mov	$X86_CR4_PAE, %eax
	mov	%eax, %cr4
	mov	PARAM(AP_CR3_BOOT)(%ebp), %eax
	mov	%eax, %cr3
	mov	$X86_MSR_EFER, %ecx
	rdmsr
	or	PARAM(AP_EFER)(%ebp), %eax /* LME, NXE */
	wrmsr
	mov	PARAM(AP_CR0)(%ebp), %eax
	mov	%eax, %cr0		/* PG: IA-32e mode, still 32-bit code */
	ljmpl	*PARAM(AP_JMP64)(%ebp)	/* AP_SEL_CODE64 : ap_trampoline_lm64 */

	/* Not the AP this block is for (one that timed out and woke late):
	 * stop without touching anything. */
ap_stray:
	cli
	hlt
	jmp	ap_stray

	.code64
ap_trampoline_lm64:
	mov	%ebp, %ebp		/* upper halves are undefined after the switch */
	mov	PARAM(AP_PAGE_HHDM)(%rbp), %rax
	lea	ap_high - ap_trampoline_start(%rax), %rcx
	mov	%rax, %rbp
	jmp	*%rcx			/* to the HHDM alias of this page */
ap_high:
	lgdt	PARAM(AP_GDT64_LIMIT)(%rbp)
	mov	PARAM(AP_CR3)(%rbp), %rax
	mov	%rax, %cr3		/* the kernel's tables */
	mov	PARAM(AP_STACK)(%rbp), %rsp
	pushq	$AP_SEL_CODE64
	lea	5f(%rip), %rax
	push	%rax
	lretq
5:	mov	$AP_SEL_DATA64, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	mov	PARAM(AP_CR4)(%rbp), %eax
	mov	%rax, %cr4
	test	$X86_CR4_OSXSAVE, %eax
	jz	9f
	xor	%ecx, %ecx
	mov	PARAM(AP_XCR0)(%rbp), %eax
	mov	PARAM(AP_XCR0 + 4)(%rbp), %edx
	xsetbv
9:	testl	$AP_F_X2APIC, PARAM(AP_FLAGS)(%rbp)
	jz	6f
	mov	$X86_MSR_APIC_BASE, %ecx	/* SDM 3A 11.12.5: EN first, then EXTD */
	rdmsr
	or	$APIC_BASE_EN, %eax
	wrmsr
	or	$APIC_BASE_EXTD, %eax
	wrmsr
6:	mov	PARAM(AP_INFO)(%rbp), %rdi
	movl	$1, PARAM(AP_CHECKIN)(%rbp)
	xor	%ebp, %ebp

	/* Parked. */
7:	mov	INFO_GOTO(%rdi), %rax
	test	%rax, %rax
	jnz	8f
	pause
	jmp	7b
8:	pushq	$0			/* the invalid return address */
	push	%rax			/* popped by ret below */
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r14d, %r14d
	xor	%r15d, %r15d
	ret
ap_trampoline_end:
