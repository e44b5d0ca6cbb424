/* The runtime's start, upcalls, disabling and exit; see rt/rt.h. */
#include <rt/mem.h>
#include <rt/rt.h>
#include <tessera/caps.h>

#include "internal.h"

#define UPCALL_STACK 16384

static struct disp_frame *frame;
static uint8_t upcall_stack[UPCALL_STACK] __attribute__((aligned(16)));
static int started;
static const struct prog_args *args;
static const struct bootinfo *bootinfo;
static bool args_known;

static void find_args(void);

struct disp_frame *rt_frame(void)
{
	return frame;
}

void *rt_upcall_stack_top(void)
{
	return upcall_stack + UPCALL_STACK;
}

uint64_t rt_depth(void)
{
	return frame ? frame->cspace_bits : 0;
}

uint64_t rt_cycles_hz(void)
{
	return frame ? frame->cycles_hz : 0;
}

const struct prog_args *rt_args(void)
{
	find_args();
	return args;
}

const struct bootinfo *rt_bootinfo(void)
{
	find_args();
	return bootinfo;
}

bool rt_disable(void)
{
	if (!frame || __atomic_load_n(&frame->disabled, __ATOMIC_RELAXED))
		return false;
	/* the next 4 KiB of stack: two touches at most a page apart map it */
	__asm__ volatile("cmpb $0, -8(%%rsp)\n\tcmpb $0, -4096(%%rsp)" ::: "cc", "memory");
	__atomic_store_n(&frame->disabled, 1, __ATOMIC_SEQ_CST);
	return true;
}

void rt_enable(bool was_enabled)
{
	if (was_enabled)
		__atomic_store_n(&frame->disabled, 0, __ATOMIC_SEQ_CST);
}

/* The program's name for messages. */
static const char *name(void)
{
	return rt_args() ? args->name : bootinfo ? "monitor" : "program";
}

_Noreturn void rt_exit(int code)
{
	if (code)
		rt_printf("%s: exit %d\n", name(), code);
	if (frame)
		frame->exit_code = (uint64_t)(int64_t)code;
	invoke_disp_stop(rt_cap(SLOT_DISPATCHER), rt_depth(), NULL);
	for (;;)
		__builtin_trap();
}

_Noreturn void rt_abort(const char *fmt, ...)
{
	va_list ap;

	rt_printf("%s: ", name());
	va_start(ap, fmt);
	rt_vprintf(fmt, ap);
	va_end(ap);
	rt_exit(RT_EXIT_ABORT);
}

void rt_yield(void)
{
	invoke_disp_yield(rt_cap(SLOT_DISPATCHER), rt_depth(), NULL);
}

/* Whether root slot `slot` holds a frame (a page the spawner mapped). */
static bool holds_frame(uint64_t slot)
{
	struct cap_results_identify id;

	return !invoke_identify(rt_cap(slot), rt_depth(), &id) && id.type == CAP_FRAME;
}

/* What the spawner gave besides the well-known objects, looked at when
 * first asked for (a program that never asks makes no system call for it;
 * a spawner that puts a frame in the slot maps it there). */
static void find_args(void)
{
	const struct prog_args *a = (const struct prog_args *)(uintptr_t)ARGS_VA;
	const struct bootinfo *b = (const struct bootinfo *)(uintptr_t)BOOTINFO_VA;

	if (args_known || !frame)
		return;
	args_known = true;
	if (holds_frame(SLOT_ARGS) && a->magic == PROG_ARGS_MAGIC)
		args = a;
	if (holds_frame(SLOT_BOOTINFO) && b->magic == BOOTINFO_MAGIC)
		bootinfo = b;
}

/* The run upcall (start.S), on the upcall stack, disabled.  The first one
 * sets the runtime up and runs main on the spawner's stack as the first
 * thread; the others go to the thread scheduler. */
void rt_run_upcall(struct disp_frame *f)
{
	if (!started) {
		started = 1;
		frame = f;
		f->upcall_stack = (uint64_t)(uintptr_t)rt_upcall_stack_top();
		f->fault_entry = (uint64_t)(uintptr_t)rt_fault_entry;
		f->crit_lo = (uint64_t)(uintptr_t)rt_resume;
		f->crit_hi = (uint64_t)(uintptr_t)rt_resume_end;
		rt_thread_init();
		__atomic_store_n(&f->disabled, 0, __ATOMIC_SEQ_CST);
		rt_exit(main());
	}
	rt_thread_run_upcall(f);
}

/* The fault upcall, on the upcall stack, disabled: a first touch of the
 * heap or a stack is mapped and the thread resumed; anything else ends
 * the program. */
void rt_fault_upcall(struct disp_frame *f, uint64_t vector, uint64_t error, uint64_t address)
{
	const char *why;

	if (rt_fault_take(vector, error, address, &why))
		rt_resume(&f->trap_area, &f->disabled, rt_upcall_fpu);
	rt_printf("%s: fault %llu at %#llx (address %#llx, error %#llx): %s\n", name(),
	          (unsigned long long)vector, (unsigned long long)f->fault.ip,
	          (unsigned long long)address, (unsigned long long)error, why);
	rt_exit(RT_EXIT_FAULT + (int)vector);
}
