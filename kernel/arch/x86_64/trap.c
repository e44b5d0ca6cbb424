/* The fatal exception report; see trap.h. */
#include "trap.h"

#include <x86/x86.h>

#include "backtrace.h"
#include "ksym.h"
#include "log.h"
#include "panic.h"

/* Logs "label=value <symbol+off>" for a code address. */
static void log_code_address(const char *label, uint64_t addr)
{
	const char *name;
	uintptr_t off;

	if (ksym_resolve(addr, &name, &off))
		log_printf("  %s=%016llx <%s+0x%lx>\n", label, (unsigned long long)addr, name,
		           (unsigned long)off);
	else
		log_printf("  %s=%016llx\n", label, (unsigned long long)addr);
}

/* Decodes a page-fault error code (SDM Vol. 3A §4.7, Figure 4-12). */
static void log_page_fault(uint64_t err)
{
	log_printf("  CR2=%016llx (faulting address)\n", (unsigned long long)x86_read_cr2());
	log_printf("  #PF: %s, %s, %s%s%s%s%s%s\n",
	           (err & PF_ERR_P) ? "protection violation" : "page not present",
	           (err & PF_ERR_W) ? "write" : "read", (err & PF_ERR_U) ? "user" : "supervisor",
	           (err & PF_ERR_RSVD) ? ", reserved bit set" : "",
	           (err & PF_ERR_I) ? ", instruction fetch" : "",
	           (err & PF_ERR_PK) ? ", protection key" : "",
	           (err & PF_ERR_SS) ? ", shadow stack" : "", (err & PF_ERR_SGX) ? ", SGX" : "");
}

/* Logs the general registers, flags, segments and control registers. */
static void log_registers(const struct trap_frame *tf)
{
	log_printf("  RAX=%016llx RBX=%016llx RCX=%016llx\n", (unsigned long long)tf->rax,
	           (unsigned long long)tf->rbx, (unsigned long long)tf->rcx);
	log_printf("  RDX=%016llx RSI=%016llx RDI=%016llx\n", (unsigned long long)tf->rdx,
	           (unsigned long long)tf->rsi, (unsigned long long)tf->rdi);
	log_printf("  RBP=%016llx RSP=%016llx R8 =%016llx\n", (unsigned long long)tf->rbp,
	           (unsigned long long)tf->rsp, (unsigned long long)tf->r8);
	log_printf("  R9 =%016llx R10=%016llx R11=%016llx\n", (unsigned long long)tf->r9,
	           (unsigned long long)tf->r10, (unsigned long long)tf->r11);
	log_printf("  R12=%016llx R13=%016llx R14=%016llx\n", (unsigned long long)tf->r12,
	           (unsigned long long)tf->r13, (unsigned long long)tf->r14);
	log_printf("  R15=%016llx RFLAGS=%016llx\n", (unsigned long long)tf->r15,
	           (unsigned long long)tf->rflags);
	log_printf("  CS=%04llx SS=%04llx CR0=%016llx CR3=%016llx CR4=%016llx\n",
	           (unsigned long long)tf->cs, (unsigned long long)tf->ss,
	           (unsigned long long)x86_read_cr0(), (unsigned long long)x86_read_cr3(),
	           (unsigned long long)x86_read_cr4());
}

_Noreturn void trap_fatal(const struct trap_frame *tf)
{
	if (!panic_enter())
		panic_halt();
	log_printf("EXCEPTION: %s (vector %llu), error code %#llx\n", idt_vector_name(tf->vector),
	           (unsigned long long)tf->vector, (unsigned long long)tf->error);
	log_code_address("RIP", tf->rip);
	if (tf->vector == IDT_PF)
		log_page_fault(tf->error);
	log_registers(tf);
	backtrace_print(tf->rbp, tf->rip);
	log_printf("fatal exception in the kernel: halting\n");
	panic_halt();
}
