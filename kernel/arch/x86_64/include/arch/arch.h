/* The architecture contract: every hook that generic kernel code may call.
 * Generic code (the .c files directly in kernel/) includes only <arch/...> headers; each
 * architecture implements this file's declarations under kernel/arch/NAME/.
 * This is the x86_64 version.
 */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/limine.h>

#define ARCH_NAME "x86_64"

/* Paging mode the kernel asks the loader for (Limine "Paging Mode Feature"). */
#define ARCH_LIMINE_PAGING_MODE LIMINE_PAGING_MODE_X86_64_4LVL

/* Lowest address of the kernel half; anything below is not kernel memory. */
#define ARCH_KERNEL_HALF 0xffff800000000000ull

/* ---- console ---- */

/* Sets up the polled debug serial port; safe to call first thing at entry. */
void arch_serial_init(void);

/* Writes bytes to the serial port, turning "\n" into "\r\n". */
void arch_serial_write(const char *s, size_t n);

/* ---- this CPU ---- */

/* Loads this CPU's own descriptor tables (GDT, TSS with IST stacks, IDT), so
 * that faults are caught and reported from here on. */
void arch_cpu_init(void);

/* Stops this CPU for good: interrupts off, halted. */
_Noreturn void arch_halt(void);

/* Waits for the next interrupt (or returns at once if one is pending). */
void arch_idle(void);

/* ---- stacks and memory ---- */

/* The frame pointer of the caller's frame. */
#define arch_frame_pointer() ((uintptr_t)__builtin_frame_address(0))

/* One step of a frame-pointer walk: given the frame record at *fp, stores
 * the caller's frame pointer in *fp and the return address in *pc.  False
 * (nothing changed) when the record is not readable kernel memory or the
 * chain ends. */
bool arch_unwind_step(uintptr_t *fp, uintptr_t *pc);

/* Whether [va, va + len) is mapped and readable in the current address space. */
bool arch_mapped(uintptr_t va, size_t len);

/* A range of physical RAM as the platform reports it. */
struct arch_ram_range {
	uint64_t base, size;
};

/* RAM as the platform itself reports it, independently of the loader's
 * memory map (QEMU's CMOS registers on x86): fills at most max ranges and
 * returns how many; 0 when the platform does not say. */
size_t arch_ram_ranges(struct arch_ram_range *out, size_t max);

/* ---- test support ---- */

/* Ends an emulator run with a pass or fail status (QEMU's isa-debug-exit);
 * returns if there is no such device. */
void arch_emulator_exit(bool success);

/* Saved callee-saved registers, stack and resume address. */
struct arch_jmp {
	uint64_t regs[8];
};

/* setjmp/longjmp for the kernel: arch_setjmp returns 0 when called and
 * the value given to arch_longjmp (never 0) when resumed by it.  The frame
 * that called arch_setjmp must still be live. */
int arch_setjmp(struct arch_jmp *j) __attribute__((returns_twice));
_Noreturn void arch_longjmp(struct arch_jmp *j, int value);

#endif
