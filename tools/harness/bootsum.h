/* Loader conformance: comparing the "bootsum:" summaries two loaders made
 * the kernel print on the same machine (kernel/bootsum.c writes them).
 *
 * Every fact must be equal, except what PROTOCOL.md leaves to the loader,
 * which is reported as an allowed difference with its reason:
 *  - in the memory map, a range one loader hands over as RAM and the other
 *    keeps reserved (loader-owned firmware memory such as UEFI
 *    EfiLoaderCode/EfiLoaderData, which the UEFI spec gives to the OS after
 *    ExitBootServices and Limine conservatively reserves), and a reserved
 *    range one loader lists and the other omits;
 *  - the total of RAM, which follows from the previous point.
 * Pure functions over the text of two serial logs.
 */
#ifndef TOOLS_HARNESS_BOOTSUM_H
#define TOOLS_HARNESS_BOOTSUM_H

#include <stddef.h>
#include <stdint.h>

struct bootsum_fact {
	char key[48]; /* "hhdm", "module 0", "cpu 3" ... */
	char value[256];
};

struct bootsum_mem {
	uint64_t base, end;
	char type[32]; /* "ram", "reserved", "ACPI NVS" ... */
};

struct bootsum {
	struct bootsum_fact *facts;
	int nfacts;
	struct bootsum_mem *mem;
	int nmem;
	int complete; /* saw both "bootsum: begin" and "bootsum: end" */
};

/* Collects the summary from a serial log's text (0 when it has none). */
int bootsum_parse(const char *log, struct bootsum *s);
void bootsum_free(struct bootsum *s);

/* Compares a (this run) with b (the reference run, named bname).  Writes
 * the disallowed differences to fail and the allowed ones to allowed (one
 * line each); returns the number of disallowed differences. */
int bootsum_compare(const struct bootsum *a, const struct bootsum *b, const char *bname, char *fail,
                    size_t fail_size, char *allowed, size_t allowed_size);

#endif
