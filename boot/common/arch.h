/* What boot/common needs from the CPU architecture (implemented in
 * arch/<arch>/): the serial port, feature checks, and the final jump. */
#ifndef BOOT_COMMON_ARCH_H
#define BOOT_COMMON_ARCH_H

#include <stddef.h>
#include <stdint.h>

/* Initialises the debug serial port (x86: COM1, 115200 8N1) if present. */
void arch_serial_init(void);

/* Writes n bytes to the serial port ('\n' becomes "\r\n"); no-op without one. */
void arch_serial_write(const char *s, size_t n);

/* Paging features of this CPU. */
struct arch_caps {
	int nx;          /* no-execute pages (EFER.NXE) */
	int huge_1g;     /* 1 GiB pages */
	int pat;         /* page attribute table */
	uint32_t bsp_id; /* this CPU's (x2)APIC id */
};
void arch_caps(struct arch_caps *caps);

/* Masks the legacy PIC and the fixed / lowest-priority inputs of the I/O
 * APICs at these physical addresses (identity-mapped).  After fw_exit. */
void arch_mask_irqs(const uint64_t *ioapics, uint32_t count);

/* Stops this CPU for good, interrupts off. */
__attribute__((noreturn)) void arch_halt(void);

/* The CPU state the kernel gets, prepared by common code. */
struct arch_handoff {
	uint64_t cr3;        /* physical address of the PML4 */
	uint64_t gdt;        /* HHDM address of the GDT */
	uint64_t stack_top;  /* HHDM address, 16-byte aligned */
	uint64_t entry;      /* kernel entry point */
	uint64_t tramp_phys; /* the trampoline pages the new tables identity-map */
	uint64_t tramp_size;
};

/* The physical range of the code that switches page tables, which must be
 * identity-mapped in the kernel's tables. */
void arch_trampoline_range(uint64_t *phys, uint64_t *size);

/* Writes the 7-descriptor GDT of the Limine protocol into gdt (56 bytes). */
void arch_gdt_fill(uint64_t gdt[7]);

/* Sets the machine state of the protocol's "Machine state at entry" and
 * jumps to the kernel; never returns.  Firmware must be gone. */
__attribute__((noreturn)) void arch_enter(const struct arch_handoff *h);

#endif
