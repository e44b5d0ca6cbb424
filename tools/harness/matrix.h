/* The boot matrix: which images to boot in QEMU, how, and what to expect.
 * The file format is documented at the top of tests/matrix/test.txt:
 *
 *   name image firmware machine cores memory timeout expect [online=N] [same=NAME]
 *                                                    [loader=NAME] [skip=LIST]
 *
 * expect is ktap, boot, error:TEXT (TEXT is the rest of the line) or
 * lines:TEXT|TEXT... (up to a tab; optional columns may follow it),
 * screen:FILE (screen.h) or script:FILE (scripted serial input, script.h;
 * FILE relative to the matrix file's folder).
 * device=NAME adds `-device NAME` (QEMU's syntax: edu, or NAME,PROP=V).
 * disk=virtio attaches the image as a virtio-blk disk (qemu.h virtio_disk)
 * instead of the machine's own IDE/AHCI disk.
 * same=NAME compares this run's boot summary with that of entry NAME (an
 * earlier entry on the same machine): loader conformance (bootsum.h).
 * skip=LIST (ktap only; may be given more than once) lists the results the
 * entry expects to be skipped, comma-separated: cpuN.suite.name, or
 * cpu*.suite.name for that case on every core that runs it.
 */
#ifndef TOOLS_HARNESS_MATRIX_H
#define TOOLS_HARNESS_MATRIX_H

#include <stddef.h>

enum matrix_expect {
	EXPECT_KTAP,   /* test kernel: KTAP report, then isa-debug-exit 0x10 */
	EXPECT_BOOT,   /* "tessera: boot complete: X/Y cores online" */
	EXPECT_ERROR,  /* a line containing text, and no reboot after it */
	EXPECT_LINES,  /* lines containing each of text's '|'-separated parts */
	EXPECT_SCREEN, /* text names a checks file (screen.h): its lines, then a
	                * screendump that passes its checks */
	EXPECT_SCRIPT, /* the steps of script (script.h): bytes sent, lines expected */
};

struct script;

#define MATRIX_MAX_LINES 48 /* parts of lines:TEXT|TEXT... (bits of a uint64_t) */

/* A part of lines: that starts with '>' is a QEMU monitor command (the
 * rest), sent once every part before it was seen (lines) or sent
 * (commands): input injection (monitor.h). */
#define MATRIX_COMMAND '>'

/* Part i of an EXPECT_LINES text into out (size n); whether there is one. */
int matrix_line_part(const char *text, int i, char *out, size_t n);

struct matrix_entry {
	char name[64];
	char image[256]; /* relative to the build directory unless absolute */
	char firmware[8];
	char machine[8];
	int cores, memory; /* memory in MiB */
	int timeout;       /* seconds */
	enum matrix_expect expect;
	char text[1024]; /* EXPECT_ERROR, EXPECT_LINES; EXPECT_SCREEN, EXPECT_SCRIPT: the file */
	struct script *script; /* EXPECT_SCRIPT: its steps (matrix_free frees it) */
	char device[64];       /* device=NAME: a QEMU -device for this entry, or "" */
	int virtio_disk;       /* disk=virtio: the image on virtio-blk */
	int online;            /* expected X in "X/Y cores online" */
	char same[64];         /* reference entry for the boot-summary comparison, or "" */
	char loader[32];       /* the loader the kernel must name ("Limine"), or "" */
	char skip[2048];       /* skip=LIST: the expected skips, comma-separated, or "" */
	int line;              /* in the matrix file */
};

struct matrix {
	struct matrix_entry *entries;
	int n;
};

/* Parses a matrix file's text (and reads the scripts of script:FILE
 * entries, FILE relative to file's folder).  Returns 0, or -1 with a
 * message "FILE:LINE: ..." in err.  Free with matrix_free. */
int matrix_parse(const char *text, const char *file, struct matrix *m, char *err, size_t size);

void matrix_free(struct matrix *m);

/* Whether result name (cpuN.suite.name) matches skip pattern pat (cpuN or
 * cpu* followed by .suite.name), pat being len bytes long. */
int matrix_skip_match(const char *pat, size_t len, const char *name);

/* The index (0, 1, ...) of the first pattern in e's skip list that
 * matches result name, or -1. */
int matrix_skip_listed(const struct matrix_entry *e, const char *name);

#endif
