/* What boot/common needs from the CPU architecture (implemented in
 * arch/<arch>/): the serial port, feature checks, starting the other
 * processors, and the final jump. */
#ifndef BOOT_COMMON_ARCH_H
#define BOOT_COMMON_ARCH_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

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

/* 64 random bits for the kernel's base (KASLR); *source names where they
 * came from: "rdrand" (x86: CPUID.01H:ECX.RDRAND[bit 30]) or, without it
 * or when it keeps failing, "rdtsc" (timestamp counter jitter, mixed). */
uint64_t arch_random(const char **source);

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

/* Starting the application processors (x86: INIT-SIPI-SIPI into a
 * real-mode trampoline, arch/x86_64/ap_start.c).  The trampoline needs
 * ARCH_SMP_LOW_PAGES pages below ARCH_SMP_LOW_LIMIT. */
#define ARCH_SMP_LOW_PAGES 4
#define ARCH_SMP_LOW_LIMIT 0x100000ull

struct arch_smp_setup {
	uint64_t low;      /* the trampoline pages (physical), reclaimable */
	uint64_t low_hhdm; /* their HHDM address */
	uint64_t cr3;      /* physical address of the kernel's PML4 */
	uint64_t gdt;      /* HHDM address of the GDT (arch_gdt_fill) */
};

/* What arch_smp_begin found. */
struct arch_smp_state {
	int x2apic;             /* x2APIC mode is on, on the BSP and on every AP */
	uint64_t tsc_hz;        /* the timer rate used for delays and timeouts */
	int tsc_guessed;        /* the PIT did not answer: tsc_hz is a guess */
	uint64_t cr0, cr4;      /* what each AP gets (the BSP's) */
	unsigned mtrrs;         /* MTRR writes each AP replays */
	unsigned mtrrs_dropped; /* variable ranges that did not fit */
};

/* Before fw_exit: copies the trampoline to s->low and fills in what every
 * AP shares.  ERR_RANGE if the pages cannot be reached by a start-up IPI. */
enum err arch_smp_prepare(const struct arch_smp_setup *s);

/* After fw_exit, before arch_smp_start: puts the BSP's local APIC in x2APIC
 * mode when want_x2apic and the CPU has it (or keeps it there if the
 * firmware left it so), measures the timer, and records the BSP's MTRRs
 * and the kernel's upper-half mappings for the APs (when prepared). */
void arch_smp_begin(int want_x2apic, struct arch_smp_state *st);

/* Starts the AP with this APIC id; it parks on the limine_smp_info at HHDM
 * address info, with its stack at HHDM address stack_top (16-byte
 * aligned).  *us is how long it took to check in.  ERR_TIMEOUT if it did
 * not within timeout_us (it is sent INIT again, so it stays stopped),
 * ERR_RANGE if its APIC id cannot be addressed in the current APIC mode. */
enum err arch_smp_start(uint32_t apic_id, uint64_t info, uint64_t stack_top, uint64_t timeout_us,
                        uint64_t *us);

/* Sets the machine state of the protocol's "Machine state at entry" and
 * jumps to the kernel; never returns.  Firmware must be gone. */
__attribute__((noreturn)) void arch_enter(const struct arch_handoff *h);

#endif
