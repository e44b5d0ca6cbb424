/* A tile's types through lib/typed (docs/tile.md §7, §10): every type's
 * descriptor decoded and checked against its identity, the kinds its users
 * need, and the text messages print.  The runtime's loader and the host
 * tool use it; the CPU driver's loader, which links no lib/typed, checks
 * only what lib/tile/tile.h does (a tile with imports or schemas is not
 * its to load).
 */
#ifndef LIB_TILE_TYPES_H
#define LIB_TILE_TYPES_H

#include <tile/tile.h>
#include <typed/typed.h>

#define TILE_TYPE_TEXT_MAX 256 /* bytes of a type's text, NUL included */

/* t written in the manifest's syntax for imports and exports (§13): bool,
 * u8..u64, i8..i64, [T; N] (a list of at most N), fn(T, ...) [-> T]; any
 * other kind as typed_describe says it, in braces.  Returns the length it
 * has (snprintf-like). */
size_t tile_type_format(const struct typed_type *t, char *buf, size_t size);

/* Type i of checked tile t, decoded in arena a: ERR_CORRUPT (ERR_NOMEM: a
 * too small) with why "FILE: types[i] (TEXT): ..." when lib/typed refuses
 * its descriptor or its identity is not its hash. */
enum err tile_type_decode(const struct tile *t, uint32_t i, struct typed_arena *a,
                          const struct typed_type **out, char *why, size_t why_len);

/* Every type of checked tile t as tile_type_decode does (mem: size bytes
 * of scratch, TILE_TYPES_SCRATCH is enough for any tile the build makes),
 * and what its users need: an import's or export's type is a function for
 * a function and a value for data, its text is the descriptor's
 * (tile_type_format); a schema's type is a record whose text is its name.
 * ERR_CORRUPT with why naming the file and the field. */
#define TILE_TYPES_SCRATCH (64u << 10)
enum err tile_types_check(const struct tile *t, void *mem, size_t size, char *why, size_t why_len);

#endif
