/* The stage's IDT (Intel SDM vol. 3A 6.14.1, 64-bit interrupt gates): see
 * idt.h.  Handlers use clang's interrupt attribute, so no assembly. */
#include "idt.h"

#include <stdint.h>
#include <x86/desc.h>
#include <x86/x86.h>

#include "console.h"
#include "gdt.h"

struct interrupt_frame {
	uint64_t rip, cs, rflags, rsp, ss;
};

static uint64_t idt[32][2] __attribute__((aligned(16)));

static __attribute__((noreturn, no_caller_saved_registers)) void
fault(unsigned vec, const struct interrupt_frame *f, uint64_t code)
{
	uint64_t cr2 = x86_read_cr2();
	console_fatal("CPU exception %u at rip %#llx (error code %#llx, cr2 %#llx)", vec,
	              (unsigned long long)f->rip, (unsigned long long)code,
	              (unsigned long long)cr2);
}

/* Each defines handler exc<n>; the trailing assertion takes the ';'. */
#define NOCODE(n)                                                                \
	__attribute__((interrupt)) static void exc##n(struct interrupt_frame *f) \
	{                                                                        \
		fault(n, f, 0);                                                  \
	}                                                                        \
	_Static_assert((n) < 32, "exception vector")
#define CODE(n)                                                                                 \
	__attribute__((interrupt)) static void exc##n(struct interrupt_frame *f, uint64_t code) \
	{                                                                                       \
		fault(n, f, code);                                                              \
	}                                                                                       \
	_Static_assert((n) < 32, "exception vector")

/* Vectors that push an error code: SDM vol. 3A table 6-1. */
NOCODE(0);
NOCODE(1);
NOCODE(2);
NOCODE(3);
NOCODE(4);
NOCODE(5);
NOCODE(6);
NOCODE(7);
CODE(8);
NOCODE(9);
CODE(10);
CODE(11);
CODE(12);
CODE(13);
CODE(14);
NOCODE(15);
NOCODE(16);
CODE(17);
NOCODE(18);
NOCODE(19);
NOCODE(20);
CODE(21);
NOCODE(22);
NOCODE(23);
NOCODE(24);
NOCODE(25);
NOCODE(26);
NOCODE(27);
NOCODE(28);
CODE(29);
CODE(30);
NOCODE(31);

static void *const handlers[32] = {
        exc0,  exc1,  exc2,  exc3,  exc4,  exc5,  exc6,  exc7,  exc8,  exc9,  exc10,
        exc11, exc12, exc13, exc14, exc15, exc16, exc17, exc18, exc19, exc20, exc21,
        exc22, exc23, exc24, exc25, exc26, exc27, exc28, exc29, exc30, exc31,
};

void idt_init(void)
{
	for (int i = 0; i < 32; i++)
		desc_gate64(idt[i], (uint64_t)(uintptr_t)handlers[i], GDT_CODE64, 0, 0);
	struct desc_ptr desc = {sizeof idt - 1, (uint64_t)(uintptr_t)idt};
	desc_lidt(&desc);
}
