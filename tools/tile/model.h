/* tools/tile: a tile being made (the model), how it is written, where its
 * contents come from (an ELF from lld and a manifest), and how a finished
 * tile is shown.  docs/tile.md is the format. */
#ifndef TOOLS_TILE_MODEL_H
#define TOOLS_TILE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <tessera/tile.h>

/* A growable array of records. */
struct vec {
	void *data;
	size_t n, cap, size;
};
void *vec_push(struct vec *v, size_t size); /* a zeroed new record */
#define VEC_AT(v, type, i) (&((type *)(v)->data)[i])

/* A segment and its bytes (filesz of them). */
struct model_segment {
	struct tile_segment s;
	uint8_t *bytes;
};

struct model {
	struct tile_header h;
	struct vec pool;     /* bytes; offset 0 is "" */
	struct vec segments; /* struct model_segment */
	struct vec relative; /* uint64_t: offsets of words the base is added to, unsorted */
	struct vec binds;    /* struct tile_bind */
	struct vec types;    /* struct tile_type */
	struct vec libraries, imports, exports, caps, args, config, symbols;
};

void model_init(struct model *m, uint16_t kind, const char *name);
void model_free(struct model *m);

/* A string in the pool (the same string once); its offset. */
uint32_t model_str(struct model *m, const char *s);

/* A type by its text: its descriptor is the text without white space (a
 * stand-in for lib/typed's canonical encoding), its identity the FNV-1a
 * hash of those bytes; the same type once.  Its index. */
uint32_t model_type(struct model *m, const char *text);
uint64_t model_type_hash(const void *blob, size_t n);

/* The file: header, section table, records, pool, then the segments'
 * bytes, each on a 4 KiB boundary; exports sorted by name, relative
 * offsets packed (§6).  Its bytes and size (malloc'd). */
uint8_t *model_write(struct model *m, size_t *size);

/* The manifest (docs/tile.md §13): what the program or library declares.
 * Fills m's header name/kind/version, caps, schemas, and the libraries,
 * imports and exports it declares (exports with value 0, filled later).
 * 0, or -1 after printing "file:line: ..." to stderr. */
int manifest_read(struct model *m, const char *path, const char *text);

/* The ELF side: segments, relocations (imports by name against those the
 * manifest declared), export values, symbols, entry, build id.  0, or -1
 * after printing "file: ..." to stderr. */
int elf_to_model(struct model *m, const char *path, const uint8_t *elf, size_t size, bool symbols);

/* Prints a checked tile like readelf: header, segments, relocation
 * counts, libraries, imports and exports with types, manifest, schemas,
 * symbols (if all). */
struct tile;
void tile_show(FILE *out, const struct tile *t, bool all);

#endif
