/* panic(): the end of the road for a broken kernel invariant.  Prints the
 * message (which should name the invariant) and a backtrace, then stops
 * this CPU. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdbool.h>

_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called once after a panic or fatal exception report, before the CPU stops
 * (the test kernel uses it to end the emulator run with a failure). */
typedef void (*panic_hook_fn)(void);
void panic_set_hook(panic_hook_fn fn);

/* Runs the hook, then stops the CPU.  For fatal paths that print their own
 * report (the exception handler). */
_Noreturn void panic_halt(void);

/* Marks the start of a fatal report; returns false if one is already under
 * way on this CPU (a fault inside the report), in which case the caller
 * should stop without printing more. */
bool panic_enter(void);

#endif
