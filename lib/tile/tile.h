/* Reading tiles (tessera/tile.h, docs/tile.md): the checker every loader
 * and the host tool run before they use a byte of a file, the accessors
 * for its records, relocation, and linking (finding exports, checking
 * versions and types, the order libraries load in).  Freestanding: no
 * allocation, no OS calls; the kernel, the user runtime and host tools
 * share it.
 */
#ifndef LIB_TILE_TILE_H
#define LIB_TILE_TILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/tile.h>

#define TILE_MAX_CAPS      64u /* manifest entries a loader accepts */
#define TILE_MAX_LIBRARIES 16u /* libraries in one program's link, itself aside */

/* A checked tile inside a caller-owned buffer (which must stay). */
struct tile {
	const uint8_t *file;
	uint64_t size;
	const char *file_name; /* for messages */
	struct tile_header h;
	uint64_t offset[TILE_SEC_TYPE_COUNT]; /* each section's offset in the file */
	uint32_t count[TILE_SEC_TYPE_COUNT];  /* and its records (pool: bytes) */
	uint32_t nsegments;
	struct tile_segment segments[TILE_MAX_SEGMENTS];
};

/* Checks everything docs/tile.md §12 lists before anything is loaded: the
 * header, the section table, every record's fields and what they point at
 * (strings, types, segments, relocation targets), for architecture arch.
 * ERR_CORRUPT (ERR_UNSUPPORTED: another architecture, kind or format
 * version) with a message naming file_name and the field in why. */
enum err tile_check(const void *file, uint64_t size, const char *file_name, uint16_t arch,
                    struct tile *t, char *why, size_t why_len);

/* Whether size bytes at file start with the tile magic. */
bool tile_is(const void *file, uint64_t size);

/* Record i (< t->count[type]) of a section, copied out (records may be
 * unaligned in the buffer). */
void tile_record(const struct tile *t, unsigned type, uint32_t i, void *out);

/* The string at pool offset off of a checked tile ("" for 0). */
const char *tile_str(const struct tile *t, uint32_t off);

/* Type i of a checked tile: its identity hash and its text. */
uint64_t tile_type_hash(const struct tile *t, uint32_t i);
const char *tile_type_text(const struct tile *t, uint32_t i);

/* Type i's descriptor (lib/typed's canonical encoding, at least
 * TILE_DESC_MIN bytes with its magic and version): its bytes, its size to
 * *size.  lib/typed decodes and checks the rest (typed_desc_decode). */
const uint8_t *tile_type_desc(const struct tile *t, uint32_t i, uint32_t *size);

/* The schema of section sec (TILE_SEC_ARGS or TILE_SEC_CONFIG) into *s:
 * false if the tile has none. */
bool tile_schema_of(const struct tile *t, unsigned sec, struct tile_schema *s);

/* The image's bytes of the 4 KiB page at offset page (a multiple of 4
 * KiB) into buf: the file's bytes of the segment there, zeros past them.
 * The segment's index, or -1 if no segment covers the page (buf zero). */
int tile_page(const struct tile *t, uint64_t page, uint8_t *buf);

/* Relocation (§6): word(ctx, offset) gives the 8 bytes of the image at
 * offset (as the loader placed them); adds base to every relative word and
 * stores imports[i] + addend into every bind of import i. */
typedef uint8_t *(*tile_word_fn)(void *ctx, uint64_t offset);
void tile_relocate(const struct tile *t, uint64_t base, const uint64_t *imports, tile_word_fn word,
                   void *ctx);

/* The number of relocated words (relative and binds), for statistics. */
uint64_t tile_reloc_count(const struct tile *t);

/* ---- linking (link.c) ---- */

/* The export named name of a checked library (exports are sorted by name):
 * its index, or -1. */
int tile_export_find(const struct tile *lib, const char *name);

/* Checks import i of t against lib, the library it names: lib's name and
 * version in the range, an export of that name and kind whose type has
 * the same identity; *value gets the export's offset from lib's base.
 * ERR_NOENT (no such export), ERR_RANGE (version), ERR_TYPE (kind or type:
 * the message names both types). */
enum err tile_import_check(const struct tile *t, uint32_t i, const struct tile *lib,
                           uint64_t *value, char *why, size_t why_len);

/* Finds the library a tile imports from by name (returns NULL if there is
 * none); the tile stays valid for the whole link. */
typedef const struct tile *(*tile_find_fn)(void *ctx, const char *name);

/* The libraries root needs, directly or not, in an order where every
 * library comes after those it imports from (root itself is not listed):
 * at most max into order, their count to *n.  ERR_NOENT a library not
 * found, ERR_CORRUPT a cycle (the message names it), ERR_FULL more than
 * max. */
enum err tile_link_order(const struct tile *root, tile_find_fn find, void *ctx,
                         const struct tile **order, unsigned max, unsigned *n, char *why,
                         size_t why_len);

#endif
