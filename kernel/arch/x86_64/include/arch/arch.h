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
#include <tessera/arch/regs.h>
#include <tessera/err.h>
#include <tessera/limine.h>

#define ARCH_NAME "x86_64"

/* Paging mode the kernel asks the loader for (Limine "Paging Mode Feature"). */
#define ARCH_LIMINE_PAGING_MODE LIMINE_PAGING_MODE_X86_64_4LVL

/* Lowest address of the kernel half; anything below is not kernel memory. */
#define ARCH_KERNEL_HALF 0xffff800000000000ull

/* Where each core maps its own kernel stack (it ends here, and the page
 * below its lowest stays unmapped): under the kernel image, far above the
 * HHDM. */
#define ARCH_STACK_TOP 0xffffffff7ff00000ull

/* User addresses lie below this (the lower half of 4-level paging). */
#define ARCH_USER_TOP 0x0000800000000000ull

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

/* Kernel code runs with interrupts disabled; only this opens them: enables
 * interrupts and halts until the next one (one already pending ends the wait
 * at once, so a check made before the call cannot miss a wake-up), then
 * disables them again. */
void arch_idle(void);

/* A spin-wait hint for busy loops. */
void arch_relax(void);

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

/* The physical address behind va in the current address space; false when
 * va is not mapped. */
bool arch_virt_to_phys(uintptr_t va, uint64_t *phys);

/* ---- address spaces: each core's own page tables ---- */

/* Mapping permissions; reading is always allowed. */
#define ARCH_MAP_WRITE  (1u << 0)
#define ARCH_MAP_EXEC   (1u << 1)
#define ARCH_MAP_DEVICE (1u << 2) /* uncached (MMIO) */

/* Supplies one frame for page tables; ERR_NOMEM when there is none. */
typedef enum err (*arch_frame_fn)(void *ctx, uint64_t *phys);

/* Page tables under construction, written through the HHDM, so any core
 * can build them for any other before that core runs on them. */
struct arch_space {
	uint64_t root; /* physical address of the top-level table */
	arch_frame_fn alloc;
	void *ctx;
	size_t tables; /* page-table frames used so far */
};

/* Starts an empty address space; ERR_UNSUPPORTED if the current paging mode
 * is not the one ARCH_LIMINE_PAGING_MODE asked for. */
enum err arch_space_init(struct arch_space *s, arch_frame_fn alloc, void *ctx);

/* Maps [va, va + size) to [phys, phys + size), both page aligned, with the
 * given ARCH_MAP_* flags, using large pages where alignment allows.  The
 * first mapping of a page wins: mapping it again to the same physical page
 * changes nothing, to another one is ERR_OVERLAP. */
enum err arch_space_map(struct arch_space *s, uint64_t va, uint64_t phys, uint64_t size,
                        unsigned flags);

/* Maps what every core's CPU driver needs from the platform (x86: its local
 * APIC's registers), at HHDM addresses. */
enum err arch_space_map_platform(struct arch_space *s, uint64_t hhdm_offset);

/* Switches to the page tables at root and the stack ending at stack_top and
 * calls fn(arg) there.  The old stack is abandoned. */
_Noreturn void arch_space_enter(uint64_t root, uintptr_t stack_top, void (*fn)(void *), void *arg);

/* ---- multiprocessor start ---- */

/* What an AP's start needs before it can touch kernel data: the first
 * member of the record its limine_smp_info's extra_argument points to. */
struct arch_ap_start {
	uint64_t root;      /* its page tables */
	uint64_t stack_top; /* its stack, mapped in those tables */
};

/* The goto_address for parked APs (Limine "SMP Feature"): on the loader's
 * page tables, it reads the record from extra_argument without touching
 * kernel data (which is the boot core's until the switch), switches to the
 * record's page tables and stack, and calls kmain_ap(record). */
void arch_ap_entry(struct limine_smp_info *info);

/* Generic code's AP entry, called by arch_ap_entry. */
_Noreturn void kmain_ap(void *record);

/* ---- clocks, interrupts and wake-ups ---- */

/* Frequencies of the cycle counter and the local timer's input clock. */
struct arch_clock {
	uint64_t cycles_hz;
	uint64_t timer_hz;
};

/* Measures the cycle counter against the platform's reference timer (x86:
 * the PIT).  Only the boot core does this, once; the others get the figure
 * through the boot handoff, so no other core touches that shared device. */
enum err arch_clock_calibrate(uint64_t *cycles_hz);

/* Starts this core's interrupt controller (x86: the local APIC, x2APIC if
 * the loader enabled it): spurious and wake-up vectors, and a periodic timer
 * at hz interrupts per second, its input clock measured against the cycle
 * counter (cycles_hz).  The timer's figure goes to *clock. */
enum err arch_irq_init(uint64_t cycles_hz, unsigned hz, struct arch_clock *clock);

/* Replaces this core's periodic timer by a single interrupt ms milliseconds
 * from now (a watchdog for code that must be woken by something other than
 * ticks); arch_timer_periodic brings the periodic timer back. */
void arch_timer_oneshot(uint64_t ms);
void arch_timer_periodic(void);

/* This core's hardware id (x86: local APIC id). */
uint32_t arch_cpu_hwid(void);

/* The cycle counter (x86: TSC). */
uint64_t arch_cycles(void);

/* Timer interrupts and wake-up interrupts this core has taken. */
uint64_t arch_ticks(void);
uint64_t arch_wakes(void);

/* Sends the wake-up interrupt to the core with hardware id hwid. */
void arch_wake(uint32_t hwid);

/* ---- devices: port I/O and interrupt lines (kernel/README.md, "Devices") ---- */

/* Port I/O of width 1, 2 or 4 bytes (x86 IN/OUT); other widths do nothing
 * (and read 0). */
uint32_t arch_port_in(uint16_t port, unsigned width);
void arch_port_out(uint16_t port, unsigned width, uint32_t value);

/* Interrupt lines a driver can bind.  x86: the ISA lines 0-15 (routed as
 * the MADT's overrides say), then ARCH_IRQ_PCI_FIRST.. the I/O APIC inputs
 * 16-23 as themselves (GSI = line): where the chipset delivers PCI INTx
 * in APIC mode (ICH9: PIRQ A-H), level-triggered and active low. */
#define ARCH_IRQ_LINES     24
#define ARCH_IRQ_PCI_FIRST 16

/* Where a line arrives at the platform's interrupt controllers and how. */
struct arch_irq_line {
	uint32_t gsi; /* the global system interrupt (x86: I/O APIC input) */
	bool level;   /* level-triggered (else edge) */
	bool low;     /* active low (else high) */
};

/* Takes an interrupt controller whose registers are mapped (uncached) at
 * regs, serving GSIs from gsi_base: every input masked.  FULL too many. */
enum err arch_ioapic_add(volatile void *regs, uint32_t gsi_base);

/* Routes line to this core, masked; fn(line) runs in interrupt context for
 * each interrupt (it may only record: the kernel may be anywhere in user
 * mode or idle), after which the interrupt is ended (EOI).  UNSUPPORTED
 * no controller has the GSI, RANGE line. */
enum err arch_irq_route(unsigned line, const struct arch_irq_line *how, void (*fn)(unsigned line));

/* Masks or unmasks a routed line at its controller. */
void arch_irq_mask(unsigned line, bool masked);

/* What the controller holds for a routed line, read back from it: its
 * GSI, trigger and polarity, the vector and the mask.  NOENT not routed. */
enum err arch_irq_read(unsigned line, struct arch_irq_line *how, unsigned *vector, bool *masked);

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

/* ---- user mode ---- */

/* Why user mode was left. */
enum arch_exit {
	ARCH_EXIT_SYSCALL = 1, /* the system call instruction (tessera/syscall.h) */
	ARCH_EXIT_INTERRUPT,   /* an interrupt, already handled (the tick, a wake-up) */
	ARCH_EXIT_FAULT,       /* an exception caused by the user code */
};

/* A dispatcher's registers as they are run, and how user mode was left. */
struct arch_user {
	struct arch_regs regs; /* in: what runs; out: the registers at the exit */
	uint32_t exit;         /* enum arch_exit */
	uint32_t vector;       /* INTERRUPT, FAULT: the vector */
	uint64_t error;        /* FAULT: the exception's error code */
	uint64_t address;      /* FAULT: a page fault's address */
};

/* This core: the system call entry (MSRs) and the floating-point and SIMD
 * unit for user code (the kernel itself never touches it). */
void arch_user_init(void);

/* A dispatcher's floating-point and SIMD registers (x86: the FXSAVE image,
 * SDM Vol. 1 §10.5.1), 16-byte aligned. */
#define ARCH_FPU_BYTES 512
struct arch_fpu {
	uint8_t area[ARCH_FPU_BYTES];
} __attribute__((aligned(16)));

/* The state a new dispatcher starts with (all exceptions masked). */
void arch_fpu_reset(struct arch_fpu *f);
/* This core's registers into f; f's (sanitised: a program cannot make the
 * restore fault) into this core's. */
void arch_fpu_save(struct arch_fpu *f);
void arch_fpu_restore(struct arch_fpu *f);

/* Whether va is a user address. */
bool arch_user_address(uint64_t va);

/* The system call's registers (tessera/arch/<arch>/regs.h) as an
 * invocation, and its result into the registers. */
struct cap_invocation_args;
struct cap_invocation_result;
void arch_syscall_args(const struct arch_regs *r, struct cap_invocation_args *a);
void arch_syscall_result(struct arch_regs *r, const struct cap_invocation_result *res);

/* Registers for an upcall: entry at pc on stack top sp, with up to four
 * arguments in the argument registers; the FS base is kept. */
void arch_upcall(struct arch_regs *r, uint64_t pc, uint64_t sp, uint64_t a0, uint64_t a1,
                 uint64_t a2, uint64_t a3);

/* Runs u->regs in user mode, in the current address space, until user
 * mode is left, and says why in u.  The flags are sanitised (interrupts
 * on, no I/O privilege, no trap flag); a rip outside user memory comes
 * back at once as a #GP fault. */
void arch_user_run(struct arch_user *u);

#endif
