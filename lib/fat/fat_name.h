/* FAT name handling shared by the reader and the writer: long-name entry
 * pieces, the short-name checksum, UCS-2 <-> UTF-8 and 8.3 formatting.
 * Freestanding; case folding is ASCII only, like the rest of the tree.
 * Specification: Microsoft "FAT: General Overview of On-Disk Format" 1.03.
 */
#ifndef LIB_FAT_FAT_NAME_H
#define LIB_FAT_FAT_NAME_H

#include <stddef.h>
#include <stdint.h>

#include "fat_disk.h"

/* The checksum of an 11-byte short name that every long entry of the
 * same set carries (spec: "Long Directory Entry Checksum"). */
uint8_t fat_name_checksum(const uint8_t name[11]);

/* Copies the 13 UCS-2 units of a long entry out of / into it. */
void fat_name_lfn_get(const struct fat_lfn_entry *e, uint16_t units[FAT_LFN_CHARS]);
void fat_name_lfn_put(struct fat_lfn_entry *e, const uint16_t units[FAT_LFN_CHARS]);

/* A long name being collected from the entries of one set, which come
 * in descending order before their short entry. */
struct fat_name_lfn {
	uint16_t units[FAT_LFN_MAX_ENTRIES * FAT_LFN_CHARS];
	int expect; /* ord of the next entry wanted; 0: complete; -1: no set */
	int total;  /* entries in the set */
	uint8_t sum;
};

static inline void fat_name_lfn_reset(struct fat_name_lfn *s)
{
	s->expect = -1;
}

/* Adds one long entry to the set in progress (or starts a new set); an
 * entry out of sequence or with another checksum abandons the set. */
void fat_name_lfn_add(struct fat_name_lfn *s, const struct fat_lfn_entry *l);

/* The length in units of the collected long name if it is complete and
 * belongs to short name `name` (its checksum matches), else -1. */
int fat_name_lfn_match(const struct fat_name_lfn *s, const uint8_t name[11]);

/* Converts n UTF-16 units (stopping early at a 0 unit) to NUL-terminated
 * UTF-8 in out[cap].  Returns the byte length, or -1 when the result does
 * not fit or a surrogate is unpaired. */
int fat_name_to_utf8(const uint16_t *units, size_t n, char *out, size_t cap);

/* Converts len bytes of UTF-8 to UTF-16 in out[cap].  Returns the number of
 * units, or -1 for malformed UTF-8 or when the result does not fit.  With
 * out NULL, only counts the units. */
int fat_name_from_utf8(const char *s, size_t len, uint16_t *out, size_t cap);

/* Formats a short name as "NAME.EXT" (no dot without an extension) into
 * out[13].  With nt_case, the NT lowercase flags are applied. */
void fat_name_short_format(const uint8_t name[11], uint8_t nt_case, char out[13]);

/* Checks that name (NUL-terminated UTF-8) can be a FAT long name, one path
 * component: not empty, not "." or "..", no trailing dot or space, no
 * control characters or \" * / : < > ? \\ |, valid UTF-8, at most 255
 * UTF-16 units.  Returns NULL when it can, else what is wrong with it. */
const char *fat_name_check(const char *name);

/* The short (8.3) form of a long name (spec: "The Basis-Name Generation
 * Algorithm"): the basis, and whether it spells the name exactly (no
 * long entries needed) or up to case (no numeric tail needed unless the
 * short name is taken). */
struct fat_name_short {
	uint8_t basis[8]; /* primary part, unpadded */
	size_t basis_len;
	uint8_t name[11]; /* basis and extension, space padded */
	int exact;
	int fits;
};

/* Derives the basis of the len units of a long name. */
void fat_name_basis(const uint16_t *units, int len, struct fat_name_short *s);

/* The numeric tail k of name when it is s's basis with "~k" (same
 * extension), else 0. */
uint32_t fat_name_tail_of(const struct fat_name_short *s, const uint8_t name[11]);

/* Makes s->name the basis with numeric tail "~k" (k >= 1); clears exact. */
void fat_name_set_tail(struct fat_name_short *s, uint32_t k);

/* ASCII upper case of one UTF-16 unit; other units are returned as is. */
static inline uint16_t fat_name_upper(uint16_t c)
{
	return (c >= 'a' && c <= 'z') ? (uint16_t)(c - ('a' - 'A')) : c;
}

#endif
