/* Checked loading of ELF64 executables, for the loaders: a thorough check of
 * the ELF header and program headers before anything is copied, then the
 * copy of the PT_LOAD segments into one contiguous image.
 * Specification: System V gABI ch. 4 ("ELF Header") and ch. 5 ("Program
 * Header", "Program Loading").  Freestanding: no allocation, no OS calls.
 */
#ifndef LIB_ELF_LOAD_H
#define LIB_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#include "elf.h"

#define ELF_PAGE 4096ull

#define ELF_MAX_LOADS 256 /* PT_LOAD segments accepted (the overlap check is quadratic) */

/* What a caller accepts: the machine, the object type, and the largest
 * segment alignment it can honour when it places the image (0: any). */
struct elf_expect {
	uint16_t machine;   /* ELF_EM_* */
	uint16_t type;      /* ELF_ET_EXEC or ELF_ET_DYN */
	uint64_t max_align; /* a power of two, or 0 */
};

/* A checked executable inside a caller-owned file buffer. */
struct elf_exec {
	const uint8_t *file;
	uint64_t size;
	uint64_t entry;
	uint64_t phoff;
	uint16_t phnum;
	uint16_t load_count; /* PT_LOAD segments with p_memsz > 0 */
	uint64_t vbase;      /* lowest PT_LOAD address, rounded down to ELF_PAGE */
	uint64_t vend;       /* highest PT_LOAD end, rounded up to ELF_PAGE */
	uint64_t max_align;  /* largest PT_LOAD p_align, at least ELF_PAGE (vbase is
	                        a multiple of every PT_LOAD's p_align) */
};

/* Checks an executable before anything is loaded: magic, class, data,
 * versions, type and machine against want, header sizes, the program header
 * table inside the file, and for each PT_LOAD segment: filesz <= memsz, the
 * file range inside the file, no address overflow, and no two segments
 * overlapping; at least one and at most ELF_MAX_LOADS non-empty PT_LOADs.
 * Alignment (gABI 5 "Program Header": p_align 0 or 1 means none): p_align a
 * power of two, p_vaddr congruent to p_offset modulo it, at most
 * want->max_align, and the image base vbase a multiple of it, so an image
 * placed at a physical address aligned to max_align puts every segment at
 * an address congruent to its p_vaddr.  On failure returns ERR_CORRUPT
 * (ERR_UNSUPPORTED for a foreign class, data order, machine or type, or an
 * alignment over want->max_align) and writes a message naming the program
 * header and the field into why. */
enum err elf_exec_check(const void *file, uint64_t size, const struct elf_expect *want,
                        struct elf_exec *out, char *why, size_t why_len);

/* Copies program header i (< phnum) of a checked executable into *ph; the
 * table may be unaligned in the file. */
void elf_exec_phdr(const struct elf_exec *x, uint16_t i, struct elf64_phdr *ph);

/* Copies every PT_LOAD segment into dst, which holds [vbase, vend) and must
 * be zeroed by the caller, so the bytes past each p_filesz stay zero. */
void elf_exec_load(const struct elf_exec *x, void *dst);

/* The union of the ELF_PF_* flags of the PT_LOAD segments touching the
 * ELF_PAGE-sized page at page (page-aligned); 0 if none does. */
uint32_t elf_exec_page_flags(const struct elf_exec *x, uint64_t page);

#endif
