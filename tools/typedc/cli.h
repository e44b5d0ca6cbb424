/* typedc: the schema compiler and typed-value tool.
 *
 *   typedc header SCHEMA OUT.h      the C header of the schema (gen.h)
 *   typedc desc SCHEMA OUT          the root's canonical descriptor bytes
 *   typedc check SCHEMA FILE...     check configuration files
 *   typedc args SCHEMA [ARG...]     check a command line; print its value
 *   typedc help SCHEMA PROG         the --help text of a program
 *   typedc encode SCHEMA FILE OUT   a configuration file as a message
 *   typedc decode SCHEMA MSG        a message as configuration text
 *
 * Problems are printed to err as "FILE:LINE:COL: field: message", or
 * "--option: message" for a command line.
 */
#ifndef TOOLS_TYPEDC_CLI_H
#define TOOLS_TYPEDC_CLI_H

#include <stdio.h>

/* Runs typedc; the exit status: 0 valid, 1 problems found, 2 usage. */
int typedc_main(int argc, char **argv, FILE *out, FILE *err);

#endif
