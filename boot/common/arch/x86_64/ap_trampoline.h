/* The application-processor trampoline (ap_trampoline.S) and the page it
 * runs from.  Shared by the assembly (offsets) and ap_start.c (the same
 * layout as a C struct, checked against the offsets).
 *
 * The trampoline area is AP_PAGES pages below 1 MiB, in bootloader-
 * reclaimable memory:
 *   page 0   the code (copied from ap_trampoline_start) at offset 0, the
 *            parameter block at AP_PARAMS
 *   page 1   transition PML4: the kernel's upper half, plus slot 0 -> page 2
 *   page 2   transition PDPT: slot 0 -> page 3
 *   page 3   transition PD: slot 0 maps [0, 2 MiB) identically (2 MiB page)
 * The transition tables let a CPU turn paging on at a 32-bit CR3 while
 * executing from this page; it then jumps to the page's HHDM alias, which
 * the kernel's tables map too, and switches to them.
 */
#ifndef BOOT_COMMON_ARCH_X86_64_AP_TRAMPOLINE_H
#define BOOT_COMMON_ARCH_X86_64_AP_TRAMPOLINE_H

#define AP_PAGES  4
#define AP_PARAMS 0x800 /* parameter block offset; the code must end before */

/* Offsets in the parameter block (relative to AP_PARAMS). */
#define AP_GDT_LIMIT   0x06 /* lgdt operand, real/protected mode: u16 limit, */
#define AP_GDT_BASE    0x08 /*   u32 base (the GDT copy in this block) */
#define AP_JMP32       0x0c /* far pointer m16:32 to the 32-bit code */
#define AP_JMP64       0x14 /* far pointer m16:32 to the 64-bit code */
#define AP_CR3_BOOT    0x1c /* u32: the transition PML4 */
#define AP_CR0         0x20 /* u32: CR0 as the BSP has it at entry */
#define AP_CR4         0x24 /* u32: CR4 as the BSP has it (set in long mode) */
#define AP_EFER        0x28 /* u32: EFER bits to set (LME, NXE) */
#define AP_FLAGS       0x2c /* u32: AP_F_* */
#define AP_PAT         0x30 /* u64: IA32_PAT */
#define AP_PAGE_HHDM   0x38 /* u64: HHDM address of this page */
#define AP_CR3         0x40 /* u64: the kernel's PML4 */
#define AP_GDT64_LIMIT 0x4e /* lgdt operand, long mode: u16 limit, */
#define AP_GDT64_BASE  0x50 /*   u64 base (HHDM address of the kernel's GDT) */
#define AP_APIC_ID     0x58 /* u32: the processor being started */
#define AP_CHECKIN     0x5c /* u32: it writes 1 once it no longer needs this block */
#define AP_INFO        0x60 /* u64: HHDM address of its limine_smp_info */
#define AP_STACK       0x68 /* u64: HHDM address of its stack top */
#define AP_MSR_COUNT   0x70 /* u32: entries in AP_MSRS */
#define AP_XCR0        0x78 /* u64: XCR0 as the BSP has it (if CR4.OSXSAVE) */
#define AP_GDT         0x80 /* u64[7]: the protocol's GDT */
#define AP_MSRS        0xb8 /* {u32 msr, u32 pad, u64 value}[]: the MTRRs */
#define AP_MSR_SIZE    16
#define AP_MAX_MSRS    96

#define AP_F_PAT    (1 << 0) /* write AP_PAT to IA32_PAT */
#define AP_F_X2APIC (1 << 1) /* enable x2APIC mode */

/* The protocol's GDT selectors (PROTOCOL.md "Machine state at entry"). */
#define AP_SEL_CODE32 0x18
#define AP_SEL_DATA32 0x20
#define AP_SEL_CODE64 0x28
#define AP_SEL_DATA64 0x30

#define MSR_MTRR_DEF_TYPE 0x2ff

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct ap_msr {
	uint32_t msr;
	uint32_t pad;
	uint64_t value;
};

struct ap_params {
	uint16_t pad0[3];
	uint16_t gdt_limit;
	uint32_t gdt_base;
	uint32_t jmp32_offset;
	uint16_t jmp32_sel, pad1;
	uint32_t jmp64_offset;
	uint16_t jmp64_sel, pad2;
	uint32_t cr3_boot;
	uint32_t cr0;
	uint32_t cr4;
	uint32_t efer;
	uint32_t flags;
	uint64_t pat;
	uint64_t page_hhdm;
	uint64_t cr3;
	uint16_t pad3[3];
	uint16_t gdt64_limit;
	uint64_t gdt64_base;
	uint32_t apic_id;
	volatile uint32_t checkin;
	uint64_t info;
	uint64_t stack;
	uint32_t msr_count, pad4;
	uint64_t xcr0;
	uint64_t gdt[7];
	struct ap_msr msrs[AP_MAX_MSRS];
};

_Static_assert(offsetof(struct ap_params, gdt_limit) == AP_GDT_LIMIT, "AP_GDT_LIMIT");
_Static_assert(offsetof(struct ap_params, gdt_base) == AP_GDT_BASE, "AP_GDT_BASE");
_Static_assert(offsetof(struct ap_params, jmp32_offset) == AP_JMP32, "AP_JMP32");
_Static_assert(offsetof(struct ap_params, jmp64_offset) == AP_JMP64, "AP_JMP64");
_Static_assert(offsetof(struct ap_params, cr3_boot) == AP_CR3_BOOT, "AP_CR3_BOOT");
_Static_assert(offsetof(struct ap_params, cr0) == AP_CR0, "AP_CR0");
_Static_assert(offsetof(struct ap_params, cr4) == AP_CR4, "AP_CR4");
_Static_assert(offsetof(struct ap_params, efer) == AP_EFER, "AP_EFER");
_Static_assert(offsetof(struct ap_params, flags) == AP_FLAGS, "AP_FLAGS");
_Static_assert(offsetof(struct ap_params, pat) == AP_PAT, "AP_PAT");
_Static_assert(offsetof(struct ap_params, page_hhdm) == AP_PAGE_HHDM, "AP_PAGE_HHDM");
_Static_assert(offsetof(struct ap_params, cr3) == AP_CR3, "AP_CR3");
_Static_assert(offsetof(struct ap_params, gdt64_limit) == AP_GDT64_LIMIT, "AP_GDT64_LIMIT");
_Static_assert(offsetof(struct ap_params, gdt64_base) == AP_GDT64_BASE, "AP_GDT64_BASE");
_Static_assert(offsetof(struct ap_params, apic_id) == AP_APIC_ID, "AP_APIC_ID");
_Static_assert(offsetof(struct ap_params, checkin) == AP_CHECKIN, "AP_CHECKIN");
_Static_assert(offsetof(struct ap_params, info) == AP_INFO, "AP_INFO");
_Static_assert(offsetof(struct ap_params, stack) == AP_STACK, "AP_STACK");
_Static_assert(offsetof(struct ap_params, msr_count) == AP_MSR_COUNT, "AP_MSR_COUNT");
_Static_assert(offsetof(struct ap_params, xcr0) == AP_XCR0, "AP_XCR0");
_Static_assert(offsetof(struct ap_params, gdt) == AP_GDT, "AP_GDT");
_Static_assert(offsetof(struct ap_params, msrs) == AP_MSRS, "AP_MSRS");
_Static_assert(sizeof(struct ap_msr) == AP_MSR_SIZE, "AP_MSR_SIZE");
_Static_assert(AP_PARAMS + sizeof(struct ap_params) <= 4096, "the parameter block fits the page");

/* The trampoline's code, copied to the first page of the area. */
extern const char ap_trampoline_start[], ap_trampoline_end[];
#endif

#endif
