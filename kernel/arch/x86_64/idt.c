/* The IDT of this CPU: 64-bit interrupt gates (lib/x86/desc.h) for all 256
 * vectors, and the dispatch from isr.S to either an installed handler or
 * the fatal report.  The table and the handler array are in .bss: per
 * core.
 */
#include "idt.h"

#include <x86/desc.h>

#include "gdt.h"
#include "trap.h"

static uint64_t idt[IDT_VECTORS][2] __attribute__((aligned(16)));
static idt_handler handlers[IDT_VECTORS];

/* Entry points of isr.S's stubs: a table for the exception vectors, and
 * evenly spaced stubs for the others. */
extern const uintptr_t isr_stubs[IDT_EXCEPTIONS];
extern const char isr_irq_stubs[];
#define ISR_IRQ_STRIDE 16

static const char *const vector_names[IDT_EXCEPTIONS] = {
        [0] = "#DE divide error",
        [1] = "#DB debug",
        [2] = "NMI non-maskable interrupt",
        [3] = "#BP breakpoint",
        [4] = "#OF overflow",
        [5] = "#BR bound range exceeded",
        [6] = "#UD invalid opcode",
        [7] = "#NM device not available",
        [8] = "#DF double fault",
        [9] = "coprocessor segment overrun",
        [10] = "#TS invalid TSS",
        [11] = "#NP segment not present",
        [12] = "#SS stack-segment fault",
        [13] = "#GP general protection",
        [14] = "#PF page fault",
        [15] = "reserved",
        [16] = "#MF x87 floating-point error",
        [17] = "#AC alignment check",
        [18] = "#MC machine check",
        [19] = "#XM SIMD floating-point",
        [20] = "#VE virtualization exception",
        [21] = "#CP control protection",
        [28] = "#HV hypervisor injection",
        [29] = "#VC VMM communication",
        [30] = "#SX security exception",
};

const char *idt_vector_name(unsigned vector)
{
	if (vector < IDT_EXCEPTIONS && vector_names[vector])
		return vector_names[vector];
	return vector < IDT_EXCEPTIONS ? "reserved" : "interrupt";
}

/* Points gate vector at handler, on IST slot ist (0: the current stack). */
static void set_gate(unsigned vector, uintptr_t handler, unsigned ist)
{
	desc_gate64(idt[vector], handler, GDT_KERNEL_CODE, ist, 0);
}

void idt_init(void)
{
	for (unsigned v = 0; v < IDT_EXCEPTIONS; v++)
		set_gate(v, isr_stubs[v], 0);
	for (unsigned v = IDT_EXCEPTIONS; v < IDT_VECTORS; v++)
		set_gate(v, (uintptr_t)isr_irq_stubs + (v - IDT_EXCEPTIONS) * ISR_IRQ_STRIDE, 0);
	set_gate(IDT_DF, isr_stubs[IDT_DF], GDT_IST_DOUBLE_FAULT);
	set_gate(IDT_NMI, isr_stubs[IDT_NMI], GDT_IST_NMI);
	set_gate(IDT_MC, isr_stubs[IDT_MC], GDT_IST_MACHINE_CHECK);

	struct desc_ptr p = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
	desc_lidt(&p);
}

idt_handler idt_set_handler(unsigned vector, idt_handler h)
{
	if (vector >= IDT_VECTORS)
		return NULL;
	idt_handler old = handlers[vector];
	handlers[vector] = h;
	return old;
}

void idt_dispatch(struct trap_frame *tf)
{
	idt_handler h = tf->vector < IDT_VECTORS ? handlers[tf->vector] : NULL;

	if ((tf->cs & 3) == 3 && tf->vector != IDT_NMI && tf->vector != IDT_DF &&
	    tf->vector != IDT_MC)
		arch_user_trap(tf, h); /* user.c: back to the dispatcher's runner */
	if (h) {
		h(tf);
		return;
	}
	trap_fatal(tf);
}
