/* Kernel memory: every kernel address the test page names (its code, data,
 * stack, the direct map of physical memory, this program's own pages and
 * the victim's through it) refuses a read, a write and a jump with a page
 * fault from user mode; non-canonical addresses with a #GP; and nothing can
 * be mapped or linked there, nor at non-canonical addresses. */
#include "hostile.h"

static volatile uint64_t target;

/* A read, a write, a jump at target: each must fault (a page fault at
 * target from user mode, or for a non-canonical address #GP). */
static void touch(uint64_t va, bool canonical)
{
	target = va;
	probe_clear();
	__asm__ volatile("movq target(%%rip), %%rax\n\t" PROBE_ASM("movq (%%rax), %%rdx")::
	                         : "rax", "rdx", "r11", "memory");
	if (canonical)
		hostile_page_fault(__LINE__, "read kernel memory", va, 4, 6);
	else
		hostile_fault(__LINE__, "read a non-canonical address", 13);
	probe_clear();
	__asm__ volatile("movq target(%%rip), %%rax\n\t" PROBE_ASM("movq %%rax, (%%rax)")::
	                         : "rax", "r11", "memory");
	if (canonical)
		hostile_page_fault(__LINE__, "write kernel memory", va, 6, 6);
	else
		hostile_fault(__LINE__, "write a non-canonical address", 13);
	probe_clear();
	__asm__ volatile("movq target(%%rip), %%rax\n\t" PROBE_ASM("jmp *%%rax")::
	                         : "rax", "r11", "memory");
	if (canonical)
		hostile_page_fault(__LINE__, "jump into kernel memory", va, 0x14, 0x14);
	else
		hostile_fault2(__LINE__, "jump to a non-canonical address", 13, 14);
}

static uint64_t base_of(uint64_t slot)
{
	struct cap_results_identify id;

	return invoke_identify(slot, D8, &id) ? 0 : id.base;
}

static void reads_writes_jumps(void)
{
	const uint64_t h = tp->hhdm;
	const uint64_t list[] = {
	        tp->kernel_text,
	        tp->kernel_data,
	        tp->kernel_stack,
	        h,
	        h + base_of(SLOT_ARGS),       /* this page, through the kernel's map */
	        h + base_of(SLOT_DISP_FRAME), /* its own dispatcher frame */
	        h + base_of(SLOT_ROOT),       /* its own root CNode */
	        h + tp->other[3],             /* the victim's secret */
	        h + tp->other[0],             /* the victim's root CNode */
	        0xffff800000000000ull,        /* the first kernel address */
	        0xfffffffffffff000ull,        /* the last page */
	};

	for (unsigned i = 0; i < sizeof list / sizeof list[0]; i++)
		touch(list[i], true);
	touch(0x0000800000000000ull, false);
	touch(0x7fffffffffff0000ull, false);
	touch(0xfff0000000000000ull & ~0x8000000000000000ull, false);
}

static enum err map_at(uint64_t frame, uint64_t va, uint64_t rights, uint64_t attr)
{
	return invoke_map_frame(SLOT_VSPACE, D8, frame, D8, va, rights, attr, NULL);
}

/* No frame or table can be put where the kernel is, nor outside the
 * canonical user half; ALIGN comes before RANGE. */
static void mappings(void)
{
	const uint64_t rw = CAP_RIGHT_READ | CAP_RIGHT_WRITE;
	const uint64_t kernel_vas[] = {0xffff800000000000ull,      0xffffffff80000000ull,
	                               0x0000800000000000ull,      0xfffffffffffff000ull,
	                               0x8000000000000000ull,      tp->hhdm,
	                               tp->kernel_text & ~0xfffull};

	for (unsigned i = 0; i < sizeof kernel_vas / sizeof kernel_vas[0]; i++) {
		EXPECT_ERR(map_at(HS_FRAME, kernel_vas[i], rw, 0), ERR_RANGE);
		EXPECT_ERR(map_at(HS_FRAME, kernel_vas[i] | 1, rw, 0), ERR_ALIGN);
		EXPECT_ERR(invoke_map_table(SLOT_VSPACE, D8, HS_PT, D8,
		                            kernel_vas[i] & ~0x1fffffull, NULL),
		           ERR_RANGE);
	}
	EXPECT_ERR(map_at(HS_FRAME, 0x7ffffffff000ull, rw | CAP_RIGHT_EXEC, 0), ERR_NOENT);
	EXPECT_ERR(invoke_map_table(SLOT_VSPACE, D8, HS_PT, D8, 0x7fffffe00000ull, NULL),
	           ERR_NOENT);
	/* the kernel half of its own top table is not a table it can unmap */
	EXPECT_ERR(invoke_unmap(SLOT_VSPACE, D8, NULL), ERR_TYPE);
}

void hostile_kmem(void)
{
	reads_writes_jumps();
	mappings();
}
