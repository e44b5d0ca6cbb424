/* Surviving faults on purpose; see probe.h. */
#include "probe.h"

#include <rt/rt.h>

void probe_fault_entry(void);
_Noreturn void probe_resume(const struct arch_regs *r, uint32_t *disabled);

volatile uint64_t probe_resume_at, probe_resume_sp;

static struct probe_fault last;
static bool taken;
static uint64_t count;
static struct arch_regs resume_regs; /* never written by the kernel */

void probe_init(void)
{
	rt_frame()->fault_entry = (uint64_t)(uintptr_t)probe_fault_entry;
}

void probe_clear(void)
{
	taken = false;
	last = (struct probe_fault){0};
}

bool probe_took(struct probe_fault *out)
{
	if (out)
		*out = last;
	return taken;
}

uint64_t probe_count(void)
{
	return count;
}

/* The fault upcall (probe.S), disabled, on the upcall stack. */
_Noreturn void probe_fault_upcall(struct disp_frame *f, uint64_t vector, uint64_t error,
                                  uint64_t address)
{
	if (!probe_resume_at) {
		rt_printf("unexpected fault %llu at %#llx (address %#llx, error %#llx)\n",
		          (unsigned long long)vector, (unsigned long long)f->fault.ip,
		          (unsigned long long)address, (unsigned long long)error);
		rt_exit(200 + (int)vector);
	}
	last = (struct probe_fault){vector, error, address, f->fault.ip};
	taken = true;
	count++;
	resume_regs = f->trap_area;
	resume_regs.rip = probe_resume_at;
	resume_regs.rsp = probe_resume_sp;
	probe_resume_at = 0;
	probe_resume(&resume_regs, &f->disabled);
}
