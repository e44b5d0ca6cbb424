/* x86-64 descriptor formats and the instructions that load and read them:
 * code/data segment descriptors (Intel SDM vol. 3A §3.4.5, figure 3-8),
 * the 16-byte TSS descriptor (§7.2.3, figure 7-4), 64-bit interrupt gates
 * (§6.14.1, figure 6-8), and the pseudo-descriptor LGDT/LIDT take (§3.5.1,
 * figure 3-11).  The encoders are pure and tested on the host.
 */
#ifndef LIB_X86_DESC_H
#define LIB_X86_DESC_H

#include <stdint.h>

/* Access byte of a segment descriptor (bits 47:40). */
#define DESC_ACCESSED 0x01u /* preset, so the CPU never writes the table */
#define DESC_RW       0x02u /* code: readable; data: writable */
#define DESC_CODE     0x08u /* executable */
#define DESC_S        0x10u /* code or data, not a system descriptor */
#define DESC_DPL(d)   ((uint8_t)((d) << 5))
#define DESC_P        0x80u

/* System descriptor and gate types (table 3-2). */
#define DESC_TYPE_TSS64 0x9u /* available 64-bit TSS */
#define DESC_TYPE_INTR  0xeu /* 64-bit interrupt gate: IF cleared on entry */

/* The flags nibble of a segment descriptor (bits 55:52). */
#define DESC_FL_L  0x2u /* 64-bit code */
#define DESC_FL_DB 0x4u /* 32-bit default operand size */
#define DESC_FL_G  0x8u /* limit in 4 KiB units */

/* A segment descriptor: base, 20-bit limit, access byte, flags nibble. */
static inline uint64_t desc_segment(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	return (limit & 0xffffull) | (uint64_t)(base & 0xffffff) << 16 | (uint64_t)access << 40 |
	       (uint64_t)(limit >> 16 & 0xf) << 48 | (uint64_t)(flags & 0xf) << 52 |
	       (uint64_t)(base >> 24) << 56;
}

/* The two words of a 64-bit TSS descriptor (DPL 0, present). */
static inline void desc_tss64(uint64_t out[2], uint64_t base, uint32_t limit)
{
	out[0] = desc_segment((uint32_t)base, limit, DESC_P | DESC_TYPE_TSS64, 0);
	out[1] = base >> 32;
}

/* The two words of a present 64-bit interrupt gate to handler through code
 * selector sel, on IST slot ist (0: the current stack), callable by
 * software from privilege level dpl. */
static inline void desc_gate64(uint64_t out[2], uint64_t handler, uint16_t sel, unsigned ist,
                               unsigned dpl)
{
	out[0] = (handler & 0xffff) | (uint64_t)sel << 16 | (uint64_t)(ist & 7) << 32 |
	         (uint64_t)(DESC_P | DESC_DPL(dpl) | DESC_TYPE_INTR) << 40 |
	         (handler >> 16 & 0xffff) << 48;
	out[1] = handler >> 32;
}

/* The operand of LGDT, LIDT, SGDT and SIDT in 64-bit mode. */
struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

_Static_assert(sizeof(struct desc_ptr) == 10, "SDM 3A §3.5.1: 10-byte pseudo-descriptor");

static inline void desc_lidt(const struct desc_ptr *p)
{
	__asm__ volatile("lidt %0" : : "m"(*p) : "memory");
}

static inline void desc_sidt(struct desc_ptr *p)
{
	__asm__ volatile("sidt %0" : "=m"(*p));
}

/* Loads the task register with the TSS descriptor at selector sel. */
static inline void desc_ltr(uint16_t sel)
{
	__asm__ volatile("ltr %0" : : "r"(sel) : "memory");
}

/* The selector in the task register. */
static inline uint16_t desc_str(void)
{
	uint16_t v;
	__asm__ volatile("str %0" : "=r"(v));
	return v;
}

static inline uint16_t desc_read_cs(void)
{
	uint16_t v;
	__asm__ volatile("mov %%cs, %0" : "=r"(v));
	return v;
}

#endif
