/* Kernel symbols: addresses to names and back, read from the .symtab of
 * the kernel's own ELF file, which the loader hands over in memory (Limine
 * "Kernel File Feature"). */
#ifndef KERNEL_KSYM_H
#define KERNEL_KSYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

/* Opens the symbol table of the kernel file at [file, file + size). */
enum err ksym_init(const void *file, size_t size);

/* The function containing addr and addr's offset in it; false when the
 * table is not loaded or no symbol covers addr. */
bool ksym_resolve(uintptr_t addr, const char **name, uintptr_t *offset);

/* The address of a named symbol, or 0 if there is none. */
uintptr_t ksym_lookup(const char *name);

#endif
