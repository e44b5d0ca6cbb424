/* The runtime's start, upcalls and exit; see rt/rt.h. */
#include <rt/rt.h>

#define UPCALL_STACK 8192

/* start.S */
void rt_fault_entry(void);
void rt_resume(struct arch_regs *r, uint32_t *disabled);
extern const char rt_resume_end[];

static struct disp_frame *frame;
static uint8_t upcall_stack[UPCALL_STACK] __attribute__((aligned(16)));
static int started;

struct disp_frame *rt_frame(void)
{
	return frame;
}

uint64_t rt_depth(void)
{
	return frame ? frame->cspace_bits : 0;
}

uint64_t rt_cycles_hz(void)
{
	return frame ? frame->cycles_hz : 0;
}

_Noreturn void rt_exit(int code)
{
	if (code)
		rt_printf("exit %d\n", code);
	if (frame)
		frame->exit_code = (uint64_t)(int64_t)code;
	invoke_disp_stop(rt_cap(SLOT_DISPATCHER), rt_depth(), NULL);
	for (;;)
		__builtin_trap();
}

void rt_yield(void)
{
	invoke_disp_yield(rt_cap(SLOT_DISPATCHER), rt_depth(), NULL);
}

/* The run upcall (start.S), on the upcall stack, disabled.  The first one
 * sets the runtime up and runs main on the spawner's stack; the others
 * resume the one thread where the kernel took the core away. */
void rt_run_upcall(struct disp_frame *f)
{
	if (!started) {
		started = 1;
		frame = f;
		f->upcall_stack = (uint64_t)(uintptr_t)(upcall_stack + UPCALL_STACK);
		f->fault_entry = (uint64_t)(uintptr_t)rt_fault_entry;
		f->crit_lo = (uint64_t)(uintptr_t)rt_resume;
		f->crit_hi = (uint64_t)(uintptr_t)rt_resume_end;
		__atomic_store_n(&f->disabled, 0, __ATOMIC_RELEASE);
		rt_exit(main());
	}
	rt_resume(&f->enabled_area, &f->disabled);
}

/* The fault upcall: no handler yet but to report it and stop. */
void rt_fault_upcall(struct disp_frame *f, uint64_t vector, uint64_t error, uint64_t address)
{
	rt_printf("fault %llu at %#llx (address %#llx, error %#llx)\n", (unsigned long long)vector,
	          (unsigned long long)f->fault.ip, (unsigned long long)address,
	          (unsigned long long)error);
	rt_exit(128 + (int)vector);
}
