/* The IDT and GDT at work: exceptions raised on purpose are caught by
 * handlers installed for the test, which record what the CPU reported and
 * resume after the faulting instruction. */
#include "idt.h"

#include <arch/arch.h>
#include <x86/desc.h>
#include <x86/x86.h>

#include "gdt.h"
#include "ktest.h"

static volatile uint64_t seen_vector, seen_error, seen_cr2, seen_cs, seen_count;

/* Records the exception; resumes after an instruction of skip bytes (a
 * trap such as int3 already points past itself: skip 0). */
static void record(struct trap_frame *tf, unsigned skip)
{
	seen_vector = tf->vector;
	seen_error = tf->error;
	seen_cs = tf->cs;
	seen_cr2 = tf->vector == IDT_PF ? x86_read_cr2() : 0;
	seen_count++;
	tf->rip += skip;
}

static void on_int3(struct trap_frame *tf)
{
	record(tf, 0);
}

static void on_ud2(struct trap_frame *tf)
{
	record(tf, 2);
}

/* The probes below fault on a 3-byte mov. */
static void on_probe_fault(struct trap_frame *tf)
{
	record(tf, 3);
}

static void reset_seen(void)
{
	seen_vector = seen_error = seen_cr2 = seen_cs = seen_count = 0;
}

KTEST(idt, breakpoint_resumes)
{
	reset_seen();
	idt_handler old = idt_set_handler(IDT_BP, on_int3);
	__asm__ volatile("int3" ::: "memory");
	idt_set_handler(IDT_BP, old);
	KT_EXPECT_EQ(seen_count, 1);
	KT_EXPECT_EQ(seen_vector, IDT_BP);
	KT_EXPECT_EQ(seen_cs, GDT_KERNEL_CODE);
}

KTEST(idt, invalid_opcode_resumes)
{
	reset_seen();
	idt_handler old = idt_set_handler(IDT_UD, on_ud2);
	__asm__ volatile("ud2" ::: "memory");
	idt_set_handler(IDT_UD, old);
	KT_EXPECT_EQ(seen_count, 1);
	KT_EXPECT_EQ(seen_vector, IDT_UD);
	KT_EXPECT_EQ(seen_error, 0);
}

/* A canonical kernel-less address that is not mapped, or 0 if none of the
 * candidates qualifies. */
static uintptr_t unmapped_address(void)
{
	static const uintptr_t candidates[] = {0x0, 0x7ffffffff000ull, 0xffffffff7ffff000ull,
	                                       0xffffc00000000000ull};
	for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++)
		if (!arch_mapped(candidates[i], 8))
			return candidates[i] + 8;
	return 0;
}

KTEST(idt, page_fault_reports_address)
{
	uintptr_t addr = unmapped_address();
	uint64_t value = 0;

	if (!addr)
		KT_SKIP("no unmapped candidate address");
	reset_seen();
	idt_handler old = idt_set_handler(IDT_PF, on_probe_fault);
	/* movq (%rax), %rax: 48 8b 00 */
	__asm__ volatile(".byte 0x48, 0x8b, 0x00" : "=a"(value) : "a"(addr) : "memory");
	idt_set_handler(IDT_PF, old);
	KT_EXPECT_EQ(seen_count, 1);
	KT_EXPECT_EQ(seen_vector, IDT_PF);
	KT_EXPECT_EQ(seen_cr2, addr);
	KT_EXPECT_EQ(seen_error & (PF_ERR_P | PF_ERR_W | PF_ERR_U), 0);
}

static const uint64_t read_only_probe = 0x0123456789abcdefull;

/* The loader maps .rodata without write permission (and CR0.WP applies it
 * to the kernel too): a write faults with P and W set. */
KTEST(idt, rodata_is_write_protected)
{
	reset_seen();
	idt_handler old = idt_set_handler(IDT_PF, on_probe_fault);
	/* movq %rax, (%rdx): 48 89 02 */
	__asm__ volatile(".byte 0x48, 0x89, 0x02" : : "a"(0ull), "d"(&read_only_probe) : "memory");
	idt_set_handler(IDT_PF, old);
	KT_EXPECT_EQ(seen_count, 1);
	KT_EXPECT_EQ(seen_cr2, (uintptr_t)&read_only_probe);
	KT_EXPECT_EQ(seen_error & (PF_ERR_P | PF_ERR_W), PF_ERR_P | PF_ERR_W);
	KT_EXPECT_EQ(*(volatile const uint64_t *)&read_only_probe, 0x0123456789abcdefull);
}

/* The loaded tables: our code selector, our TSS, and IST stacks on the
 * gates that must not trust the current stack. */
KTEST(idt, tables_loaded)
{
	struct desc_ptr idtr;

	desc_sidt(&idtr);
	KT_EXPECT_EQ(desc_read_cs(), GDT_KERNEL_CODE);
	KT_EXPECT_EQ(desc_str(), GDT_TSS);
	KT_EXPECT_EQ(idtr.limit, IDT_VECTORS * 16 - 1);
	const uint64_t *gates = (const uint64_t *)(uintptr_t)idtr.base;
	KT_EXPECT_EQ((gates[2 * IDT_DF] >> 32) & 7, GDT_IST_DOUBLE_FAULT);
	KT_EXPECT_EQ((gates[2 * IDT_NMI] >> 32) & 7, GDT_IST_NMI);
	KT_EXPECT_EQ((gates[2 * IDT_MC] >> 32) & 7, GDT_IST_MACHINE_CHECK);
	KT_EXPECT_EQ((gates[2 * IDT_PF] >> 32) & 7, 0);
	KT_EXPECT_EQ((x86_read_rflags() & X86_RFLAGS_IF), 0); /* interrupts stay off */
}

static void on_soft_int(struct trap_frame *tf)
{
	record(tf, 0);
}

/* Raises vector v with int imm8 and checks what the handler saw. */
#define SOFT_INT(v)                                                  \
	do {                                                         \
		reset_seen();                                        \
		idt_handler old = idt_set_handler((v), on_soft_int); \
		__asm__ volatile("int %0" : : "i"(v) : "memory");    \
		idt_set_handler((v), old);                           \
		KT_EXPECT_EQ(seen_count, 1);                         \
		KT_EXPECT_EQ(seen_vector, (v));                      \
	} while (0)

/* The interrupt stubs for vectors 32-255 sit 16 bytes apart: a few
 * vectors across the range each arrive as themselves. */
KTEST(idt, interrupt_vectors_reach_their_handlers)
{
	SOFT_INT(0x20);
	SOFT_INT(0x7f);
	SOFT_INT(0x80);
	SOFT_INT(0xee);
}
