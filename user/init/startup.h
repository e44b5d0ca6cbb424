/* init's startup description: which programs to start, one per line,
 * read from the boot module "startup" (user/init/startup.txt).  A plain
 * line format for now; the typed-configuration issue replaces it with a
 * typed file checked against a schema.
 *
 *   # a comment; blank lines are ignored
 *   program NAME core N [memory KIB] [chan CHAN] [dev CAP]...
 *
 * NAME is a boot module (a static ELF program); N the core to run it on
 * (a core that is not online stands for another, chosen by the monitors);
 * KIB its memory budget in KiB (64 .. 1048576, rounded up to a power of
 * two; default STARTUP_MEMORY_KIB); CHAN names a channel (rt/chan.h)
 * between exactly two programs: the first listed is its side 0.  Each CAP
 * is a device cap init offers the program by that name (rt/device.h:
 * port60, irq1, mmiob0000000..., or "devices", all of them in a CNode);
 * its manifest must name it too.
 */
#ifndef INIT_STARTUP_H
#define INIT_STARTUP_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/err.h>

#define STARTUP_MEMORY_KIB 1024u
#define STARTUP_MAX_CORE   63u
#define STARTUP_CHAN_NAME  16u
#define STARTUP_DEVS       8u
#define STARTUP_DEV_NAME   24u

struct startup_entry {
	char name[BOOTINFO_NAME];
	unsigned core;
	unsigned budget_bits;         /* log2 of the budget in bytes */
	char chan[STARTUP_CHAN_NAME]; /* "": none */
	unsigned ndevs;
	char devs[STARTUP_DEVS][STARTUP_DEV_NAME]; /* device caps offered by name */
};

/* One line (n bytes, without its newline): OK an entry in *e; NOENT a
 * blank or comment line; CORRUPT malformed, with why saying what. */
enum err startup_line(const char *s, size_t n, struct startup_entry *e, char *why, size_t why_len);

#endif
