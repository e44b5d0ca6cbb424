/* The report for an exception nobody handles: fatal for now, since only
 * kernel code runs. */
#ifndef X86_TRAP_H
#define X86_TRAP_H

#include "idt.h"

/* Prints the exception, the registers and a symbolised backtrace, then
 * stops the CPU (through panic_halt, so test kernels end the run). */
_Noreturn void trap_fatal(const struct trap_frame *tf);

#endif
