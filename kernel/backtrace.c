/* Frame-pointer backtraces; see backtrace.h. */
#include "backtrace.h"

#include <arch/arch.h>

#include "ksym.h"
#include "log.h"

size_t backtrace_collect(uintptr_t fp, uintptr_t *pcs, size_t max)
{
	size_t n = 0;
	uintptr_t pc;

	while (n < max) {
		uintptr_t prev = fp;
		if (!arch_unwind_step(&fp, &pc))
			break;
		pcs[n++] = pc;
		/* Callers' frames sit higher on the same stack; anything else
		 * is a corrupt chain (or its end, fp == 0). */
		if (fp <= prev)
			break;
	}
	return n;
}

/* Logs one frame: "  #i 0x... name+0xoff".  A return address is resolved
 * one byte back, inside the call instruction, in case the call was the
 * last instruction of its function. */
static void print_frame(size_t i, uintptr_t pc, int is_return)
{
	const char *name;
	uintptr_t off;

	if (ksym_resolve(pc - (is_return ? 1 : 0), &name, &off))
		log_printf("  #%zu 0x%016lx %s+0x%lx\n", i, (unsigned long)pc, name,
		           (unsigned long)(off + (is_return ? 1 : 0)));
	else
		log_printf("  #%zu 0x%016lx ?\n", i, (unsigned long)pc);
}

void backtrace_print(uintptr_t fp, uintptr_t pc)
{
	uintptr_t pcs[BACKTRACE_MAX];
	size_t i = 0;

	log_printf("backtrace:\n");
	if (pc)
		print_frame(i++, pc, 0);
	size_t n = backtrace_collect(fp, pcs, BACKTRACE_MAX);
	for (size_t k = 0; k < n; k++)
		print_frame(i++, pcs[k], 1);
	if (i == 0)
		log_printf("  (no frames)\n");
}
