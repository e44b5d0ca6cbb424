/* The dispatcher frame: one page a program and the CPU driver of its core
 * share, the kernel's window into the dispatcher and the program's into
 * its own scheduling (Barrelfish's dispatcher model).
 *
 * The kernel never calls a program's code but through two upcalls, both
 * entered with `disabled` set, on the upcall stack, with rdi = the frame's
 * address in the program (self):
 *   run    the dispatcher is given the core: the program decides what runs
 *          (its user-level scheduler resumes a thread from enabled_area or
 *          elsewhere);
 *   fault  an exception (page fault, invalid opcode, divide...) while
 *          enabled: fault says which; the registers at the fault are in
 *          trap_area.  The program fixes it (maps a page, grows a stack)
 *          and resumes, or gives up (STOP).
 * When the core is taken away (the timer, a blocking invocation, a
 * higher-priority dispatcher), the kernel saves the registers: into
 * disabled_area if `disabled` is set or rip lies in [crit_lo, crit_hi)
 * (the program's resume sequence, which clears `disabled` and then
 * restores a thread), and resumes exactly there next time; otherwise into
 * enabled_area, and the next time is a run upcall.  A fault while
 * disabled, or without a fault entry, cannot be delivered: the kernel
 * stops the dispatcher (its owner is told; capabilities and memory go
 * back to the owner when it deletes the program's objects).
 *
 * The program writes: disabled, the entries, crit_lo/crit_hi,
 * upcall_stack, exit_code and the save areas (its own registers: the kernel
 * sanitises what it restores).  The kernel writes: magic, core, id,
 * cycles_hz, cspace_bits, runs, faults, stopped, fault, and the save
 * areas.  An owner that maps a program's frame (read-only) watches it:
 * stopped and exit_code say when and how it ended.
 */
#ifndef TESSERA_DISPATCHER_H
#define TESSERA_DISPATCHER_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/arch/regs.h>

#define DISP_FRAME_BITS 12                    /* the frame is one 4 KiB page */
#define DISP_MAGIC      0x7073696474737374ull /* "tstdisp" */

/* The last fault delivered by a fault upcall. */
struct disp_fault {
	uint64_t vector;  /* architecture exception number (x86: 14 page fault, 6 #UD...) */
	uint64_t error;   /* the exception's error code (page fault: P W U I bits) */
	uint64_t address; /* page fault: the address (x86 CR2); else 0 */
	uint64_t ip;      /* where it happened */
};

struct disp_frame {
	uint64_t magic;        /* DISP_MAGIC, written by the kernel at setup */
	uint32_t disabled;     /* program: nonzero while it must not be upcalled */
	uint32_t core;         /* kernel: the core this dispatcher runs on */
	uint64_t id;           /* kernel: the dispatcher's id on its core */
	uint64_t cycles_hz;    /* kernel: the cycle counter's frequency */
	uint64_t cspace_bits;  /* kernel: slot bits of its root CNode (address depth) */
	uint64_t self;         /* program: the frame's address in the program */
	uint64_t run_entry;    /* program: the run upcall */
	uint64_t fault_entry;  /* program: the fault upcall (0: faults stop it) */
	uint64_t upcall_stack; /* program: the stack top both upcalls start on */
	uint64_t crit_lo;      /* program: its resume sequence, [crit_lo, crit_hi) */
	uint64_t crit_hi;
	uint64_t runs, faults; /* kernel: run and fault upcalls so far */
	uint64_t exit_code;    /* program: what it ended with (its owner reads it) */
	uint64_t stopped;      /* kernel: 0 while it may run; DISP_STOPPED_* once stopped */
	struct disp_fault fault;
	struct arch_regs enabled_area;
	struct arch_regs disabled_area;
	struct arch_regs trap_area;
};
_Static_assert(sizeof(struct disp_frame) <= 1u << DISP_FRAME_BITS, "one page");
_Static_assert(offsetof(struct disp_frame, disabled) == 8, "ABI: disabled");
_Static_assert(offsetof(struct disp_frame, fault) == 120, "ABI: fault");
_Static_assert(offsetof(struct disp_frame, enabled_area) == 152, "ABI: enabled_area");

/* Why a dispatcher stopped (disp_frame.stopped; the fault that did it, if
 * one, is in fault). */
#define DISP_STOPPED_STOP  1 /* DISP_STOP, by itself or its owner */
#define DISP_STOPPED_FAULT 2 /* a fault it could not take */
#define DISP_STOPPED_GONE  3 /* it, its root CNode or its top table was destroyed */

#endif
