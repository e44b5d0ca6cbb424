/* x86_64 implementations of the simple arch.h hooks: CPU setup, halting,
 * the cycle counter and its calibration, stack unwinding, the emulator exit
 * and the platform's RAM report. */
#include <arch/arch.h>
#include <x86/cmos.h>
#include <x86/pit.h>
#include <x86/x86.h>

#include "gdt.h"
#include "idt.h"

void arch_cpu_init(void)
{
	gdt_init();
	idt_init();
	arch_user_init();
}

_Noreturn void arch_halt(void)
{
	x86_halt_forever();
}

/* sti takes effect after the next instruction, so an interrupt already
 * pending is taken inside hlt and ends it (SDM Vol. 2B, STI). */
void arch_idle(void)
{
	__asm__ volatile("sti\n\thlt\n\tcli" ::: "memory");
}

void arch_relax(void)
{
	x86_pause();
}

uint64_t arch_cycles(void)
{
	return x86_rdtsc();
}

/* The TSC against PIT channel 2 (boot core only: the PIT is one device
 * shared by every core). */
enum err arch_clock_calibrate(uint64_t *cycles_hz)
{
	*cycles_hz = pit_measure_tsc_hz();
	return *cycles_hz ? ERR_OK : ERR_TIMEOUT;
}

/* A frame record (pushed by every function's prologue with frame pointers)
 * is the caller's rbp followed by the return address. */
bool arch_unwind_step(uintptr_t *fp, uintptr_t *pc)
{
	uintptr_t f = *fp;

	if (f < ARCH_KERNEL_HALF || (f & 7) || !arch_mapped(f, 16))
		return false;
	const uintptr_t *record = (const uintptr_t *)f;
	if (record[1] == 0)
		return false;
	*fp = record[0];
	*pc = record[1];
	return true;
}

/* QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4): a
 * write of v makes QEMU exit with status (v << 1) | 1, so 0x10 gives 33
 * (pass) and 0x11 gives 35 (fail). */
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_PASS 0x10
#define DEBUG_EXIT_FAIL 0x11

void arch_emulator_exit(bool success)
{
	x86_outl(DEBUG_EXIT_PORT, success ? DEBUG_EXIT_PASS : DEBUG_EXIT_FAIL);
}

/* QEMU's PC machines (hw/i386/pc.c, pc_cmos_init) store the RAM size in
 * CMOS: 0x34-0x35 = 64 KiB units between 16 MiB and 4 GiB, 0x5b-0x5d = 64
 * KiB units above 4 GiB (mapped from 4 GiB up). */
size_t arch_ram_ranges(struct arch_ram_range *out, size_t max)
{
	uint64_t mid = (uint64_t)cmos_read(0x34) | (uint64_t)cmos_read(0x35) << 8;
	uint64_t high = (uint64_t)cmos_read(0x5b) | (uint64_t)cmos_read(0x5c) << 8 |
	                (uint64_t)cmos_read(0x5d) << 16;
	size_t n = 0;

	if (mid == 0 || max == 0)
		return 0;
	out[n++] = (struct arch_ram_range){0, (16ull << 20) + (mid << 16)};
	if (high && n < max)
		out[n++] = (struct arch_ram_range){4ull << 30, high << 16};
	return n;
}
