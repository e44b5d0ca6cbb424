/* The CPU driver's one spawn: this core's monitor, from the boot module
 * named "monitor" (a static ELF image), with the core's whole initial
 * capability space as its own (kernel/README.md, "User space"). */
#ifndef KERNEL_SCHED_SPAWN_H
#define KERNEL_SCHED_SPAWN_H

#include <tessera/err.h>

#define SPAWN_MONITOR_MODULE "monitor"

/* The untyped the monitor's objects are carved from must hold this much. */
#define SPAWN_UNTYPED_MIN (1ull << 20)

/* Builds the monitor and starts it (it runs when the core's top level,
 * sched_run, gets to it).  NOENT no such module; UNSUPPORTED no capability
 * space; CORRUPT not an ELF image; NOMEM no untyped big enough; the first
 * failing invocation's error otherwise (logged). */
enum err spawn_monitor(void);

#endif
