/* tcfg: the typed configuration checker.
 *
 *   tcfg check FILE... [--set KEY=VALUE]... [--emit-make OUT]
 *
 * Checks each configuration file, with the overrides applied, against the
 * schema (schema.c) and prints every error in GCC style to err.  A file is
 * JSON (config/NAME.json), or in the typed configuration syntax if its name
 * ends in .conf (lib/typed/README.md).  With
 * --emit-make (one FILE only) it writes the settings as make assignments to
 * OUT, but only when they differ from what OUT already holds, so that make
 * rebuilds only what a real change affects.
 */
#ifndef TOOLS_TCFG_CLI_H
#define TOOLS_TCFG_CLI_H

#include <stdio.h>

/* Runs tcfg with main's arguments; returns the exit status: 0 when all is
 * valid, 1 on any error (OUT is then left alone), 2 on a usage error. */
int tcfg_main(int argc, char **argv, FILE *err);

#endif
