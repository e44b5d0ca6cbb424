/* Bench kernel only: installing and removing the bare round trips of
 * arch/bench.h (the stubs are bench_stubs.S).  The system call's is a
 * different LSTAR; the exception's a copy of this core's IDT with another
 * #UD gate, loaded instead of the real one (which stays as it is). */
#include <arch/arch.h>
#include <arch/bench.h>
#include <x86/desc.h>
#include <x86/x86.h>

#include "gdt.h"
#include "idt.h"

void syscall_entry(void);
void bench_syscall_entry(void);
void bench_ud_entry(void);
extern const uintptr_t isr_stubs[IDT_EXCEPTIONS];

/* Read by the stubs (per core, like all kernel data). */
uint64_t bench_syscall_ret;
uint64_t bench_ud_ip;
uint64_t bench_ud_next;

static uint64_t bench_idt[IDT_VECTORS][2] __attribute__((aligned(16)));
static struct desc_ptr real_idt;
static bool bench_idt_loaded;

bool arch_bench_bare_syscall(uint64_t ret)
{
	if (ret && (ret < 4096 || !arch_user_address(ret)))
		return false;
	if (ret) {
		bench_syscall_ret = ret;
		x86_wrmsr(X86_MSR_LSTAR, (uint64_t)(uintptr_t)bench_syscall_entry);
	} else {
		x86_wrmsr(X86_MSR_LSTAR, (uint64_t)(uintptr_t)syscall_entry);
		bench_syscall_ret = 0;
	}
	return true;
}

bool arch_bench_bare_ud(uint64_t ip)
{
	if (ip && (ip < 4096 || !arch_user_address(ip + 1)))
		return false;
	if (!ip) {
		if (bench_idt_loaded)
			desc_lidt(&real_idt);
		bench_idt_loaded = false;
		bench_ud_ip = 0;
		return true;
	}
	if (bench_idt_loaded) {
		bench_ud_ip = ip;
		return true;
	}
	desc_sidt(&real_idt);
	if (real_idt.limit + 1u != sizeof bench_idt)
		return false;
	__builtin_memcpy(bench_idt, (const void *)(uintptr_t)real_idt.base, sizeof bench_idt);
	desc_gate64(bench_idt[IDT_UD], (uint64_t)(uintptr_t)bench_ud_entry, GDT_KERNEL_CODE, 0, 0);
	bench_ud_next = isr_stubs[IDT_UD];
	bench_ud_ip = ip;
	struct desc_ptr p = {sizeof bench_idt - 1, (uint64_t)(uintptr_t)bench_idt};
	desc_lidt(&p);
	bench_idt_loaded = true;
	return true;
}
