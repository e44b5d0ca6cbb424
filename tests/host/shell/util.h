/* Helpers for lib/shell's host tests: a shell over tshell's fixtures, and
 * what compiling or running a text prints (as the REPL would). */
#ifndef TESTS_HOST_SHELL_UTIL_H
#define TESTS_HOST_SHELL_UTIL_H

#include <shell/shell.h>

/* A fresh shell (fixtures reset). */
struct shell *t_shell(void);
/* The error src gives when compiled by sh (shell_error_show), or
 * "compiled" if it compiles. */
const char *t_error(struct shell *sh, const char *src);
/* What compiling and running src prints at width (results, then an error
 * shown as tshell shows it). */
const char *t_run(struct shell *sh, const char *src, uint32_t width);
/* The plan of src, or its error. */
const char *t_plan(struct shell *sh, const char *src);

#endif
