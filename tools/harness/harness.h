/* The subcommands of tools/harness, each taking main's arguments after
 * the subcommand name (argv[0] is the subcommand) and returning the exit
 * status.
 *
 *   harness run --image IMG [--firmware uefi|bios] [--machine q35|pc]
 *               [--accel tcg|kvm] [--cores N] [--memory MiB]
 *               [--display auto|none|gtk|sdl] [--gdb [--gdb-cmd CMD]]
 *               [--qemu PATH] [--cpu MODEL] [--ovmf-code PATH] [--ovmf-vars PATH]
 *               [--writable]
 *   harness test --build DIR [--matrix FILE] [--jobs N] [--host-timeout S]
 *               [--skip-image PREFIX=REASON] [--require-images]
 *               [--qemu PATH] [--accel tcg|kvm] [--cpu MODEL]
 *               [--ovmf-code PATH] [--ovmf-vars PATH] [HOST_TEST_BINARY...]
 *     --skip-image: entries whose image starts with PREFIX are skipped
 *     --require-images: an image the matrix names that is not there fails
 *     the entry (default: skipped)
 *   harness ktests --out LIST SOURCE...     (ktests.h)
 */
#ifndef TOOLS_HARNESS_HARNESS_H
#define TOOLS_HARNESS_HARNESS_H

#include <stdio.h>

/* Boots an image in QEMU with the console on this terminal (run.c). */
int harness_run(int argc, char **argv);

/* Runs host tests and the boot matrix; the report goes to out (test.c).
 * Exit status 0 iff nothing failed, 1 on failures, 2 on usage errors. */
int harness_test(int argc, char **argv, FILE *out);

#endif
