/* tshell's command library: host fixtures standing in for what the
 * system's libraries will export (cores, ps, mem, uptime, spawn, kill),
 * with fixed, hand-written values that the tests compare against. */
#ifndef TOOLS_TSHELL_FIXTURES_H
#define TOOLS_TSHELL_FIXTURES_H

#include <shell/shell.h>

/* The fixtures, then lib/shell's generic commands (shell_std_cmds). */
extern const struct shell_cmds tshell_fixtures;

/* Programs spawn has started since the last reset (fixtures have state). */
void tshell_fixtures_reset(void);

#endif
