/* limine.conf: the subset of Limine 8.x's configuration syntax (CONFIG.md,
 * "Structure of the config file" and "Paths") that our loader reads.
 *
 *   # comment (only on a line of its own)
 *   timeout: 0              global options, anywhere in the file
 *   /Title                  a menu entry; //Sub a sub-entry (a "/Dir" whose
 *       protocol: limine    next line is a deeper entry is a directory)
 *       kernel_path: boot():/boot/tessera.elf
 *       cmdline: ...
 *       resolution: 1024x768x32
 *       kaslr: no               keep a relocatable kernel at its link base
 *                               (default yes: a random 2 MiB-aligned base)
 *       module_path: boot():/boot/modules/a    repeated; each optionally
 *       module_cmdline: a                      followed by its command line
 *
 * Option names are case-insensitive.  Unknown options are ignored with a
 * note; malformed lines are errors naming the line.  One global option is
 * ours, for tests (Limine ignores it):
 *   tessera_test_absent_cpu: N   the loader acts as if the MADT also listed
 *                                an enabled processor with APIC id N (one no
 *                                CPU has), so the boot shows how an AP that
 *                                never starts is handled
 * Pure and freestanding: the parser works in place on the caller's text and
 * allocates nothing.
 */
#ifndef BOOT_COMMON_CONF_H
#define BOOT_COMMON_CONF_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#define CONF_MAX_ENTRIES 16
#define CONF_MAX_MODULES 64 /* as BOOT_MAX_MODULES (state.h) */

struct conf_module {
	const char *path;
	const char *cmdline; /* "" if none */
	unsigned line;
};

struct conf_entry {
	const char *title;
	unsigned line;               /* of the "/Title" line */
	unsigned depth;              /* number of leading '/' */
	int directory;               /* holds sub-entries; not bootable */
	const char *protocol;        /* NULL if absent */
	const char *kernel_path;     /* NULL if absent */
	unsigned kernel_line;        /* of the kernel_path line */
	const char *cmdline;         /* "" if absent */
	uint32_t width, height, bpp; /* resolution; 0 if absent (bpp defaults to 32) */
	int kaslr;                   /* 1 unless "kaslr: no" */
	struct conf_module modules[CONF_MAX_MODULES];
	size_t module_count;
};

struct conf {
	int timeout;            /* seconds; -1 for "no" (never boot automatically) */
	int serial;             /* serial: yes */
	int verbose;            /* verbose: yes */
	unsigned default_entry; /* 1-based among bootable entries; 1 if absent */
	int has_absent_cpu;     /* tessera_test_absent_cpu was given: */
	uint32_t absent_cpu;    /*   its APIC id */
	struct conf_entry entries[CONF_MAX_ENTRIES];
	size_t entry_count;
};

/* Where a diagnostic is reported: a parse error fills it; notes about
 * ignored options go to the note callback (which may be NULL). */
struct conf_diag {
	unsigned line; /* 1-based line of the error; 0 if not tied to a line */
	char msg[128];
	void (*note)(void *ctx, unsigned line, const char *msg);
	void *note_ctx;
};

/* Parses text[0..len) in place (lines are split and values NUL-terminated
 * inside text, which must have room for len + 1 bytes).  On error returns
 * ERR_CORRUPT (ERR_FULL when a table limit is exceeded) with diag->line and
 * diag->msg set. */
enum err conf_parse(char *text, size_t len, struct conf *out, struct conf_diag *diag);

/* The entry to boot: the default_entry-th bootable (non-directory) entry.
 * ERR_NOENT with diag->msg set if there is none. */
enum err conf_pick(const struct conf *c, const struct conf_entry **out, struct conf_diag *diag);

/* A Limine path "resource(argument):/path[#hash]" split into its parts
 * (pointers into a caller buffer; see conf_path_parse). */
struct conf_path {
	char resource[16]; /* "boot", "hdd", "guid", ...; "" for a bare "/path" */
	char argument[64];
	const char *path; /* from the leading '/' */
	int has_hash;     /* a "#blake2b" suffix was present (and removed) */
};

/* Splits s, writing the path (hash suffix removed) into buf[0..len).
 * ERR_CORRUPT for a malformed path, ERR_NAME if it does not fit. */
enum err conf_path_parse(const char *s, char *buf, size_t len, struct conf_path *out);

#endif
