/* arch_probe (see <arch/paging.h>): one kernel access that may fault, with
 * the page fault caught by a handler installed for the probe's duration.
 * Reads and writes are 3-byte instructions the handler steps over; an
 * execute probe calls the address, and a fault on the fetch returns to the
 * caller as the target's return instruction would have.
 */
#include <arch/paging.h>
#include <x86/x86.h>

#include "idt.h"

#define PROBE_INSN_SIZE 3 /* movq (%rax),%rax = 48 8b 00; movq %rdx,(%rax) = 48 89 10 */

static volatile bool faulted;
static struct arch_fault fault;

static void on_fault(struct trap_frame *tf)
{
	faulted = true;
	fault.addr = x86_read_cr2();
	fault.code = (uint32_t)tf->error;
	fault.present = tf->error & PF_ERR_P;
	fault.write = tf->error & PF_ERR_W;
	fault.user = tf->error & PF_ERR_U;
	fault.fetch = tf->error & PF_ERR_I;
	if (fault.fetch) {
		/* The call pushed its return address: pop it, like the ret. */
		tf->rip = *(const uint64_t *)tf->rsp;
		tf->rsp += 8;
	} else {
		tf->rip += PROBE_INSN_SIZE;
	}
}

/* The access itself; registers fixed so the encodings above hold. */
static uint64_t access(uintptr_t va, enum arch_access kind, uint64_t value)
{
	uint64_t out = 0;

	switch (kind) {
	case ARCH_ACCESS_READ:
		__asm__ volatile(".byte 0x48, 0x8b, 0x00" : "=a"(out) : "a"(va) : "memory");
		break;
	case ARCH_ACCESS_WRITE:
		__asm__ volatile(".byte 0x48, 0x89, 0x10" : : "a"(va), "d"(value) : "memory");
		break;
	case ARCH_ACCESS_EXEC:
		/* The target only returns; it may clobber what a call may. */
		__asm__ volatile("call *%%rax"
		                 : "+a"(va)
		                 :
		                 : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory",
		                   "cc");
		break;
	}
	return out;
}

bool arch_probe(uintptr_t va, enum arch_access kind, uint64_t value, bool user, uint64_t *read,
                struct arch_fault *f)
{
	faulted = false;
	idt_handler old = idt_set_handler(IDT_PF, on_fault);
	if (user)
		arch_user_access_begin();
	uint64_t out = access(va, kind, value);
	if (user)
		arch_user_access_end();
	idt_set_handler(IDT_PF, old);
	if (read)
		*read = out;
	if (faulted && f)
		*f = fault;
	return faulted;
}
