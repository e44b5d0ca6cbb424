/* The test cases the kernel's sources declare (kernel/ktest.h: KTEST,
 * KTEST_BSP, KTEST_SMP), found by scanning the source text at build time,
 * so the harness knows which results a test image must report without
 * asking the image.  `harness ktests --out LIST SOURCE...` writes the list
 * that make puts beside each test image (test.img: test.ktests):
 *
 *   # comment
 *   frame.alloc_and_free each kernel/frame_test.c:12
 *   fbcon.draws bsp kernel/fbcon_test.c:130
 *
 * one case a line: suite.name, its kind (each: KTEST, every online core on
 * its own; bsp: KTEST_BSP, core 0 only; smp: KTEST_SMP, every online core
 * at once; remote: KTEST_REMOTE, run by another case, not reported itself)
 * and where it is declared.
 *
 * The scan reads C tokens: comments, string and character literals and
 * preprocessor directives (a #define of KTEST) never count, nor does code
 * under `#if 0`.  A declaration inside any other conditional group is an
 * error, since the scan cannot tell whether it is compiled; so is a KTEST
 * not followed by (suite, name), a direct KTEST_FLAGS, and a suite.name
 * declared twice.
 */
#ifndef TOOLS_HARNESS_KTESTS_H
#define TOOLS_HARNESS_KTESTS_H

#include <stddef.h>
#include <stdio.h>

enum ktests_kind {
	KTESTS_EACH,   /* KTEST: every online core, on its own */
	KTESTS_BSP,    /* KTEST_BSP: core 0 only */
	KTESTS_SMP,    /* KTEST_SMP: every online core, at once */
	KTESTS_REMOTE, /* KTEST_REMOTE: run by another case only, never reported */
	KTESTS_KINDS
};

struct ktests_case {
	char name[128]; /* "suite.name" */
	enum ktests_kind kind;
	char where[192]; /* "file:line" */
};

struct ktests {
	struct ktests_case *c;
	int n, cap;
};

/* Adds the cases declared in one source file's text.  Returns 0, or -1
 * with "FILE:LINE: ..." in err. */
int ktests_scan(struct ktests *k, const char *text, const char *file, char *err, size_t size);

/* Adds the cases of a list written by ktests_write.  Returns 0, or -1 with
 * "FILE:LINE: ..." in err. */
int ktests_read(struct ktests *k, const char *text, const char *file, char *err, size_t size);

void ktests_write(const struct ktests *k, FILE *out);

/* The case named suite.name, or NULL. */
const struct ktests_case *ktests_find(const struct ktests *k, const char *name);

/* "each", "bsp", "smp" or "remote". */
const char *ktests_kind_name(enum ktests_kind kind);

void ktests_free(struct ktests *k);

/* harness ktests --out LIST SOURCE...: scans the sources, writes the list
 * (replacing it only when the scan succeeded).  Exit status 0, 1 on a scan
 * error (printed as FILE:LINE: ...), 2 on a usage error. */
int harness_ktests(int argc, char **argv);

#endif
