/* Scripted serial input for a boot-matrix entry (expect script:FILE): a
 * file of steps, one a line, run against the guest's serial console in
 * order:
 *
 *   wait TEXT     wait for TEXT in the output (a line or the unfinished
 *                 last line: a prompt); not a test
 *   send TEXT     write TEXT to the guest's serial port: \r \n \t \\ and
 *                 \xNN escapes (Enter is \r, Ctrl-C \x03)
 *   expect TEXT   a line containing TEXT comes next (later than the step
 *                 before); one test
 *   line TEXT     a line equal to TEXT (trailing blanks aside); one test
 *
 * ${cores} and ${memory} in TEXT stand for the entry's cores and MiB, so
 * expected values can come from the matrix rather than from the guest.
 * Blank lines and lines starting with '#' are ignored. */
#ifndef TOOLS_HARNESS_SCRIPT_H
#define TOOLS_HARNESS_SCRIPT_H

#include <stddef.h>

enum script_op { SCRIPT_WAIT, SCRIPT_SEND, SCRIPT_EXPECT, SCRIPT_LINE };

#define SCRIPT_MAX_STEPS 128
#define SCRIPT_TEXT      256

struct script_step {
	enum script_op op;
	char text[SCRIPT_TEXT]; /* SEND: the bytes (escapes done); len below */
	size_t len;
	int line; /* in the script file */
};

struct script {
	struct script_step steps[SCRIPT_MAX_STEPS];
	int n;
};

/* Parses a script's text for an entry with cores and memory (its
 * variables).  0, or -1 with "FILE:LINE: ..." in err. */
int script_parse(const char *text, const char *file, int cores, int memory, struct script *s,
                 char *err, size_t size);

/* Whether output line (cleaned, serial.h) satisfies step st (WAIT,
 * EXPECT, LINE). */
int script_match(const struct script_step *st, const char *line);

/* The number of tests a script makes (its EXPECT and LINE steps). */
int script_tests(const struct script *s);

#endif
