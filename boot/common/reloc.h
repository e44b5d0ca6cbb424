/* Relocating a position-independent kernel (KASLR): choosing a random base
 * in the top 2 GiB and applying the image's R_X86_64_RELATIVE relocations.
 * Specification: System V gABI ch. 5 ("Dynamic Section": DT_RELA,
 * DT_RELASZ, DT_RELAENT) and the x86-64 psABI ("Relocation Types").
 * Pure and freestanding (host-tested on hand-made ELF files).
 */
#ifndef BOOT_COMMON_RELOC_H
#define BOOT_COMMON_RELOC_H

#include <elf/load.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#define RELOC_WINDOW 0xffffffff80000000ull /* the top 2 GiB, where the kernel runs */
#define RELOC_ALIGN  0x200000ull           /* bases differ by multiples of 2 MiB */

/* The number of bases at which an image of size bytes linked at link fits
 * in the top 2 GiB, each link plus a multiple of RELOC_ALIGN; 0 if link is
 * not inside the window or the image does not fit. */
uint64_t reloc_slots(uint64_t link, uint64_t size);

/* Base number rnd % reloc_slots(link, size) (link if there are none). */
uint64_t reloc_pick(uint64_t link, uint64_t size, uint64_t rnd);

/* Applies the dynamic relocations of the checked executable x, whose
 * PT_LOAD segments image holds at [x->vbase, x->vend) (elf_exec_load), for
 * a run address of link address + slide: every R_X86_64_RELATIVE word
 * becomes r_addend + slide.  No PT_DYNAMIC or no DT_RELA: nothing to do.
 * Any other relocation type, DT_REL/DT_JMPREL/DT_RELR/DT_NEEDED, a table
 * or word outside the image is ERR_UNSUPPORTED or ERR_CORRUPT with a
 * message naming the entry, its type and offset in why.  *count gets the
 * number of words patched. */
enum err reloc_apply(const struct elf_exec *x, uint8_t *image, uint64_t slide, uint64_t *count,
                     char *why, size_t why_len);

#endif
