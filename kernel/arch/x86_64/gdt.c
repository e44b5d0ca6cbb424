/* The GDT and TSS of this CPU.  Both live in .data/.bss, so each core's copy
 * of the kernel data segment gives it its own tables and IST stacks.
 *
 * Formats: the descriptors are lib/x86/desc.h's; the 64-bit TSS, Intel SDM
 * Vol. 3A §7.7 (Figure 7-11).  Section numbers are those of the 2022
 * edition.
 */
#include "gdt.h"

#include <stdbool.h>
#include <stddef.h>
#include <x86/desc.h>

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7]; /* ist[0] is IST1 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iopb_offset;
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "SDM 3A §7.7: 64-bit TSS is 104 bytes");
_Static_assert(offsetof(struct tss, rsp) == 4, "SDM 3A Figure 7-11: RSP0 at 4");
_Static_assert(offsetof(struct tss, ist) == 36, "SDM 3A Figure 7-11: IST1 at 36");
_Static_assert(offsetof(struct tss, iopb_offset) == 102, "SDM 3A Figure 7-11: I/O map base at 102");

enum { GDT_ENTRIES = 7 }; /* null, 4 segments, 2-slot TSS descriptor */

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));
static uint8_t ist_stacks[GDT_IST_COUNT][GDT_IST_STACK_SIZE] __attribute__((aligned(16)));

_Static_assert(GDT_TSS / 8 + 2 == GDT_ENTRIES, "TSS descriptor takes the last two slots");

/* A flat 64-bit code (execute/read) or data (read/write) segment
 * descriptor for privilege level dpl. */
static uint64_t segment(unsigned dpl, bool code)
{
	uint8_t access = DESC_P | DESC_S | DESC_DPL(dpl) | DESC_RW | (code ? DESC_CODE : 0);
	return desc_segment(0, 0xfffff, access, DESC_FL_G | (code ? DESC_FL_L : DESC_FL_DB));
}

void gdt_set_rsp0(uint64_t rsp)
{
	tss.rsp[0] = rsp;
}

uintptr_t gdt_ist_top(unsigned slot)
{
	return (uintptr_t)ist_stacks[slot - 1] + GDT_IST_STACK_SIZE;
}

/* lgdt, then reload CS with a far return and the data segment registers. */
static void load_gdt(void)
{
	struct desc_ptr p = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};
	__asm__ volatile("lgdt %0\n\t"
	                 "pushq %1\n\t"
	                 "leaq 1f(%%rip), %%rax\n\t"
	                 "pushq %%rax\n\t"
	                 "lretq\n"
	                 "1:\n\t"
	                 "movw %w2, %%ds\n\t"
	                 "movw %w2, %%es\n\t"
	                 "movw %w2, %%ss\n\t"
	                 "movw %w3, %%fs\n\t"
	                 "movw %w3, %%gs\n\t"
	                 :
	                 : "m"(p), "i"(GDT_KERNEL_CODE), "r"(GDT_KERNEL_DATA), "r"(0)
	                 : "rax", "memory");
}

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[GDT_KERNEL_CODE / 8] = segment(0, true);
	gdt[GDT_KERNEL_DATA / 8] = segment(0, false);
	gdt[GDT_USER_DATA / 8] = segment(3, false);
	gdt[GDT_USER_CODE / 8] = segment(3, true);

	for (unsigned i = 1; i <= GDT_IST_COUNT; i++)
		tss.ist[i - 1] = gdt_ist_top(i);
	tss.iopb_offset = sizeof(tss); /* no I/O permission bitmap */
	desc_tss64(&gdt[GDT_TSS / 8], (uintptr_t)&tss, sizeof(tss) - 1);

	load_gdt();
	desc_ltr(GDT_TSS);
}
