/* The kernel command line (limine.conf "cmdline:", handed over with the
 * kernel file): words separated by spaces, each "name" or "name=value",
 * e.g. "test smp.hold=2,3 smp.timeout_ms=2000".  Read on the boot core;
 * other cores get what they need through their boot handoff. */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Uses s (kept, not copied; NULL means empty) as the command line. */
void cmdline_init(const char *s);

/* The whole line ("" when there is none). */
const char *cmdline_raw(void);

/* The value of the first word "key=value" in s, copied to out (at most
 * size - 1 bytes, NUL-terminated); false if there is no such word. */
bool cmdline_find(const char *s, const char *key, char *out, size_t size);

/* The value of key on the command line as a decimal number. */
bool cmdline_u64(const char *key, uint64_t *v);

/* Whether key's value, a comma-separated list of decimal numbers, holds v. */
bool cmdline_list_has(const char *key, uint64_t v);

#endif
