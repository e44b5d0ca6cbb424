/* The GDT and TSS of this CPU.  Both live in .data/.bss, so each core's copy
 * of the kernel data segment gives it its own tables and IST stacks.
 *
 * Formats: segment descriptors, Intel SDM Vol. 3A §3.4.5 (Figure 3-8); the
 * 16-byte TSS descriptor, §7.2.3 (Figure 7-4); the 64-bit TSS, §7.7
 * (Figure 7-11).  Section numbers are those of the 2022 edition.
 */
#include "gdt.h"

#include <stddef.h>

#include "x86.h"

/* Segment descriptor fields (SDM Vol. 3A §3.4.5, Figure 3-8). */
#define DESC_LIMIT_LO(l) (0xffffull & (uint64_t)(l))
#define DESC_BASE_LO(b)  ((0xffffffull & (uint64_t)(b)) << 16)
#define DESC_TYPE(t)     ((uint64_t)(t) << 40)
#define DESC_S           (1ull << 44) /* code/data (not system) */
#define DESC_DPL(d)      ((uint64_t)(d) << 45)
#define DESC_P           (1ull << 47)
#define DESC_LIMIT_HI(l) ((((uint64_t)(l) >> 16) & 0xf) << 48)
#define DESC_L           (1ull << 53) /* 64-bit code */
#define DESC_DB          (1ull << 54)
#define DESC_G           (1ull << 55) /* limit in 4 KiB units */
#define DESC_BASE_HI(b)  ((((uint64_t)(b) >> 24) & 0xff) << 56)

#define TYPE_CODE_XR 0xa /* execute/read */
#define TYPE_DATA_RW 0x2 /* read/write */
#define TYPE_TSS64   0x9 /* available 64-bit TSS */

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

/* A flat 64-bit code or data segment descriptor. */
static uint64_t segment(unsigned type, unsigned dpl, int code)
{
	uint64_t d = DESC_LIMIT_LO(0xfffff) | DESC_LIMIT_HI(0xfffff) | DESC_TYPE(type) | DESC_S |
	             DESC_DPL(dpl) | DESC_P | DESC_G;
	return d | (code ? DESC_L : DESC_DB);
}

/* The two words of a 64-bit TSS descriptor (SDM Vol. 3A §7.2.3, Figure 7-4). */
static void tss_descriptor(uint64_t out[2], uintptr_t base, uint32_t limit)
{
	out[0] = DESC_LIMIT_LO(limit) | DESC_LIMIT_HI(limit) | DESC_BASE_LO(base) |
	         DESC_BASE_HI(base) | DESC_TYPE(TYPE_TSS64) | DESC_P;
	out[1] = (uint64_t)base >> 32;
}

uintptr_t gdt_ist_top(unsigned slot)
{
	return (uintptr_t)ist_stacks[slot - 1] + GDT_IST_STACK_SIZE;
}

/* lgdt, then reload CS with a far return and the data segment registers. */
static void load_gdt(void)
{
	struct x86_desc_ptr p = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};
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
	gdt[GDT_KERNEL_CODE / 8] = segment(TYPE_CODE_XR, 0, 1);
	gdt[GDT_KERNEL_DATA / 8] = segment(TYPE_DATA_RW, 0, 0);
	gdt[GDT_USER_DATA / 8] = segment(TYPE_DATA_RW, 3, 0);
	gdt[GDT_USER_CODE / 8] = segment(TYPE_CODE_XR, 3, 1);

	for (unsigned i = 1; i <= GDT_IST_COUNT; i++)
		tss.ist[i - 1] = gdt_ist_top(i);
	tss.iopb_offset = sizeof(tss); /* no I/O permission bitmap */
	tss_descriptor(&gdt[GDT_TSS / 8], (uintptr_t)&tss, sizeof(tss) - 1);

	load_gdt();
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)GDT_TSS) : "memory");
}
