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

struct schema;

struct model {
	struct tile_header h;
	struct vec pool;     /* bytes; offset 0 is "" */
	struct vec segments; /* struct model_segment */
	struct vec relative; /* uint64_t: offsets of words the base is added to, unsorted */
	struct vec binds;    /* struct tile_bind */
	struct vec types;    /* struct tile_type */
	struct vec libraries, imports, exports, caps, symbols;
	struct vec args, config;   /* struct tile_schema: at most one each */
	struct vec commands;       /* struct tile_command (§16); value: filled from the ELF */
	struct vec command_syms;   /* char *: each command's function's symbol (malloc'd) */
	struct schema *cmd_schema; /* `commands SCHEMA`: the commands' types (heap) */
	void *cmd_arena;
	char *cmd_text;
};

void model_init(struct model *m, uint16_t kind, const char *name);
void model_free(struct model *m);

/* A string in the pool (the same string once); its offset. */
uint32_t model_str(struct model *m, const char *s);

/* A type (types.c): lib/typed's canonical descriptor of t (with its
 * documentation and defaults) in the pool, its identity (typed_desc_id),
 * text for messages; the same descriptor once.  Its index. */
struct typed_type;
uint32_t model_desc(struct model *m, const struct typed_type *t, const char *text);

/* An import's or export's type written as text (bool, u8..u64, i8..i64,
 * [T; N], fn(T, ...) -> T; types.c) as model_desc; 0 and its index, or -1
 * with why saying what is wrong. */
int model_type(struct model *m, const char *text, uint32_t *index, char *why, size_t len);

/* The root record of the schema file path (tools/typedc's language) as
 * the one schema of sec (m->args or m->config).  0, or -1 after printing
 * "path:line:col: ..." to stderr. */
int model_schema(struct model *m, struct vec *sec, const char *path);

/* `commands SCHEMA`: the file whose declarations the `command` lines name
 * as types (§16).  0, or -1 after printing "path:line:col: ..." to stderr. */
int model_command_schema(struct model *m, const char *path);

/* The type declared name in the commands schema (its text: name), as
 * model_desc; 0 and its index, or -1 (none of that name, or no schema). */
int model_command_type(struct model *m, const char *name, uint32_t *index);

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

/* Whether every type of a checked tile is a descriptor lib/typed accepts
 * whose identity is its hash (types.c); -1 after printing the first
 * problem to stderr. */
int tile_types_verify(const struct tile *t);

#endif
