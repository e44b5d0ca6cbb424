/* User mode on a real core: machine code in a page of a space of its own,
 * run in ring 3 until it leaves: a system call (its registers come back,
 * and it resumes after the instruction), every privileged or faulting
 * instruction a program might try (each a fault of its own vector, the
 * core unharmed), an endless loop (the timer takes the core back), a rip
 * outside user memory. */
#include <arch/arch.h>
#include <string/mem.h>
#include <x86/x86.h>

#include "frame.h"
#include "hhdm.h"
#include "idt.h"
#include "ktest.h"
#include "mm/mm.h"
#include "mm/prot.h"
#include "mm/vm.h"

#define CODE_VA   0x400000ull
#define STACK_VA  0x7ff000ull
#define STACK_TOP (STACK_VA + 4096)

struct uspace {
	struct vm_space *s;
	uint64_t code, stack;
};

/* A space with code (len bytes, read and execute) and a stack page. */
static void space_with(struct ktest *kt, struct uspace *u, const uint8_t *code, size_t len)
{
	KT_ASSERT(mm_ready());
	KT_ASSERT(frame_alloc(&u->code) == ERR_OK);
	KT_ASSERT(frame_alloc(&u->stack) == ERR_OK);
	memset(hhdm_ptr(u->code), 0xcc, 4096); /* int3 past the code */
	memcpy(hhdm_ptr(u->code), code, len);
	KT_ASSERT(vm_space_create(&u->s) == ERR_OK);
	KT_ASSERT(vm_map(u->s, CODE_VA, u->code, MM_PAGE_BITS, MM_PROT_USER | MM_PROT_EXEC) ==
	          ERR_OK);
	KT_ASSERT(vm_map(u->s, STACK_VA, u->stack, MM_PAGE_BITS, MM_PROT_USER | MM_PROT_WRITE) ==
	          ERR_OK);
	vm_activate(u->s);
}

static void space_gone(struct ktest *kt, struct uspace *u)
{
	vm_activate(vm_kernel());
	KT_EXPECT_EQ(vm_space_destroy(u->s), ERR_OK);
	frame_free(u->code);
	frame_free(u->stack);
}

/* Runs until user mode is left for another reason than an interrupt (a
 * tick pending from the kernel's time with interrupts off ends a run
 * before its first instruction; the code then simply goes on). */
static void run(struct arch_user *r)
{
	for (int i = 0; i < 1000; i++) {
		arch_user_run(r);
		if (r->exit != ARCH_EXIT_INTERRUPT)
			return;
	}
}

static void start(struct arch_user *r)
{
	memset(r, 0, sizeof *r);
	r->regs.rip = CODE_VA;
	r->regs.rsp = STACK_TOP;
}

/* syscall; ud2 */
KTEST(user, system_call_comes_back_and_resumes)
{
	static const uint8_t code[] = {0x0f, 0x05, 0x0f, 0x0b};
	struct uspace u;
	struct arch_user r;

	space_with(kt, &u, code, sizeof code);
	start(&r);
	r.regs.rax = 0x1234;
	r.regs.rdi = 0xabc;
	r.regs.r15 = 0x5eed;
	r.regs.rflags = 0x1; /* CF */
	run(&r);
	KT_EXPECT_EQ(r.exit, ARCH_EXIT_SYSCALL);
	KT_EXPECT_EQ(r.regs.rax, 0x1234);
	KT_EXPECT_EQ(r.regs.rdi, 0xabc);
	KT_EXPECT_EQ(r.regs.r15, 0x5eed);
	KT_EXPECT_EQ(r.regs.rsp, STACK_TOP);
	KT_EXPECT_EQ(r.regs.rip, CODE_VA + 2);      /* after the instruction */
	KT_EXPECT_EQ(r.regs.rcx, CODE_VA + 2);      /* SYSCALL's own use of rcx */
	KT_EXPECT_EQ(r.regs.rflags & 0x201, 0x201); /* CF kept, IF on in user mode */
	run(&r);                                    /* resumes: ud2 */
	KT_EXPECT_EQ(r.exit, ARCH_EXIT_FAULT);
	KT_EXPECT_EQ(r.vector, IDT_UD);
	KT_EXPECT_EQ(r.regs.rip, CODE_VA + 2);
	space_gone(kt, &u);
}

/* Each of these, run in ring 3, is refused by the CPU with the vector
 * given; the kernel gets the core back and goes on. */
static const struct hostile {
	const char *what;
	uint8_t code[12];
	uint8_t len;
	uint8_t vector;
	uint64_t rax; /* set before */
} hostile[] = {
        {"cli", {0xfa}, 1, IDT_GP, 0},
        {"hlt", {0xf4}, 1, IDT_GP, 0},
        {"in al, dx (port 0x3f8)", {0x66, 0xba, 0xf8, 0x03, 0xec}, 5, IDT_GP, 0},
        {"out dx, al (port 0x80)", {0x66, 0xba, 0x80, 0x00, 0xee}, 5, IDT_GP, 0},
        {"mov cr3, rax", {0x0f, 0x22, 0xd8}, 3, IDT_GP, 0},
        {"wrmsr", {0x0f, 0x30}, 2, IDT_GP, 0},
        {"rdmsr", {0x0f, 0x32}, 2, IDT_GP, 0},
        {"lgdt [rax]", {0x0f, 0x01, 0x10}, 3, IDT_GP, CODE_VA},
        {"invlpg [rax]", {0x0f, 0x01, 0x38}, 3, IDT_GP, CODE_VA},
        {"int3 (its gate is the kernel's)", {0xcc}, 1, IDT_GP, 0},
        {"int 0x80", {0xcd, 0x80}, 2, IDT_GP, 0},
        {"read of an unmapped page", {0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x10}, 7, IDT_PF, 0},
        {"write to the code page", {0x48, 0x89, 0x00}, 3, IDT_PF, CODE_VA},
        {"read of kernel memory", {0x48, 0x8b, 0x00}, 3, IDT_PF, ARCH_STACK_TOP - 8},
        {"jump to kernel code", {0xff, 0xe0}, 2, IDT_PF, (uint64_t)(uintptr_t)arch_user_run},
        {"divide by zero", {0x31, 0xc9, 0xf7, 0xf1}, 4, IDT_DE, 1},
        {"vzeroupper (no AVX state for programs)", {0xc5, 0xf8, 0x77}, 3, 6, 0},
        {"xgetbv (no XSAVE for programs)", {0x0f, 0x01, 0xd0}, 3, 6, 0},
};

KTEST(user, privileged_and_faulting_instructions_are_refused)
{
	struct uspace u;
	struct arch_user r;

	for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
		const struct hostile *h = &hostile[i];
		space_with(kt, &u, h->code, h->len);
		start(&r);
		r.regs.rax = h->rax;
		run(&r);
		if (r.exit != ARCH_EXIT_FAULT || r.vector != h->vector)
			ktest_fail(kt, __FILE__, __LINE__,
			           "%s refused with vector %u (exit %u, %u)", h->what, h->vector,
			           r.exit, r.vector);
		space_gone(kt, &u);
	}
}

/* A page fault says where and how. */
KTEST(user, page_fault_reports_address_and_access)
{
	static const uint8_t write_unmapped[] = {0x48, 0x89, 0x00}; /* mov [rax], rax */
	struct uspace u;
	struct arch_user r;

	space_with(kt, &u, write_unmapped, sizeof write_unmapped);
	start(&r);
	r.regs.rax = 0x12345678;
	run(&r);
	KT_EXPECT_EQ(r.exit, ARCH_EXIT_FAULT);
	KT_EXPECT_EQ(r.vector, IDT_PF);
	KT_EXPECT_EQ(r.address, 0x12345678);
	KT_EXPECT_EQ(r.error & (PF_ERR_W | PF_ERR_U | PF_ERR_P), PF_ERR_W | PF_ERR_U);
	KT_EXPECT_EQ(r.regs.rip, CODE_VA);
	space_gone(kt, &u);
}

/* An endless loop does not keep the core: the timer interrupt ends the
 * run, and the loop resumes where it was. */
KTEST(user, the_timer_takes_the_core_back)
{
	static const uint8_t loop[] = {0x48, 0xff, 0xc0, 0xeb, 0xfb}; /* 1: inc rax; jmp 1b */
	struct uspace u;
	struct arch_user r;

	space_with(kt, &u, loop, sizeof loop);
	start(&r);
	uint64_t ticks = arch_ticks(), wakes = arch_wakes();
	for (int i = 0; i < 1000 && r.regs.rax == 0; i++) {
		arch_user_run(&r);
		KT_ASSERT(r.exit == ARCH_EXIT_INTERRUPT);
	}
	KT_EXPECT(arch_ticks() > ticks || arch_wakes() > wakes);
	KT_EXPECT(r.regs.rip == CODE_VA || r.regs.rip == CODE_VA + 3);
	uint64_t count = r.regs.rax;
	KT_EXPECT(count > 0);
	for (int i = 0; i < 1000 && r.regs.rax == count; i++) {
		arch_user_run(&r);
		KT_ASSERT(r.exit == ARCH_EXIT_INTERRUPT);
	}
	KT_EXPECT(r.regs.rax > count); /* it went on counting */
	space_gone(kt, &u);
}

/* A rip in the kernel half is refused before anything runs. */
KTEST(user, kernel_rip_is_refused)
{
	static const uint8_t nop[] = {0x90};
	struct uspace u;
	struct arch_user r;

	space_with(kt, &u, nop, sizeof nop);
	start(&r);
	r.regs.rip = ARCH_KERNEL_HALF;
	run(&r);
	KT_EXPECT_EQ(r.exit, ARCH_EXIT_FAULT);
	KT_EXPECT_EQ(r.vector, IDT_GP);
	space_gone(kt, &u);
}

/* A program's AC and DF flags stay in ring 3: the kernel goes on after an
 * interrupt from user mode with its own (AC set there would turn SMAP off
 * in the kernel; DF would run string instructions backwards). */
KTEST(user, flags_set_in_ring3_stay_there)
{
	/* pushfq; orl $0x40000, (%rsp); popfq; std; 1: jmp 1b */
	static const uint8_t code[] = {0x9c, 0x81, 0x0c, 0x24, 0x00, 0x00,
	                               0x04, 0x00, 0x9d, 0xfd, 0xeb, 0xfe};
	struct uspace u;
	struct arch_user r;

	space_with(kt, &u, code, sizeof code);
	start(&r);
	for (int i = 0; i < 1000 && r.regs.rip != CODE_VA + 10; i++) {
		arch_user_run(&r);
		KT_ASSERT(r.exit == ARCH_EXIT_INTERRUPT);
	}
	uint64_t kernel_flags = x86_read_rflags();
	KT_EXPECT_EQ(r.regs.rip, CODE_VA + 10);
	KT_EXPECT_EQ(r.regs.rflags & 0x40400, 0x40400); /* the program's: AC, DF */
	KT_EXPECT_EQ(kernel_flags & 0x40400, 0);        /* the kernel's: neither */
	space_gone(kt, &u);
}
