/* Fuzz target: lib/tile, the checker every tile loader runs (tile_check),
 * then for a file it accepts what loaders do with it: every record read,
 * every page of every segment copied (tile_page), relocation into a copy
 * of the segments' file bytes (tile_relocate: every word it touches must
 * be inside them), the file linked against itself (tile_link_order: a
 * library that imports from itself is a cycle) and each import checked
 * against it (tile_import_check), and its types through lib/typed
 * (tile_types_check; an accepted schema's record decodes).  Checks what
 * tile.h and types.h promise: a failure says why, an accepted file keeps
 * every access inside what it describes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tile/tile.h>
#include <tile/types.h>

#define MAX_PAGES 256 /* pages per segment the target copies */

struct copy {
	const struct tile *t;
	uint8_t *bytes[TILE_MAX_SEGMENTS];
};

/* A word to relocate: it must be an aligned word in a segment's bytes. */
static uint8_t *word(void *ctx, uint64_t off)
{
	struct copy *c = ctx;

	for (uint32_t i = 0; i < c->t->nsegments; i++) {
		const struct tile_segment *s = &c->t->segments[i];
		if (off >= s->addr && off - s->addr + 8 <= s->filesz && !(off % 8) &&
		    !(s->prot & TILE_PROT_X))
			return c->bytes[i] + (off - s->addr);
	}
	fprintf(stderr, "fuzz_tile: relocation of the word at 0x%llx outside the file bytes\n",
	        (unsigned long long)off);
	abort();
}

static const struct tile *self(void *ctx, const char *name)
{
	const struct tile *t = ctx;

	return strcmp(tile_str(t, t->h.name), name) == 0 ? t : NULL;
}

static void records(const struct tile *t)
{
	uint8_t rec[64];
	size_t sum = 0;

	for (unsigned type = 1; type < TILE_SEC_TYPE_COUNT; type++)
		for (uint32_t i = 0; i < t->count[type] && type != TILE_SEC_POOL; i++)
			tile_record(t, type, i, rec);
	for (uint32_t i = 0; i < t->count[TILE_SEC_TYPES]; i++)
		sum += strlen(tile_type_text(t, i));
	for (uint32_t i = 0; i < t->count[TILE_SEC_EXPORTS]; i++) {
		struct tile_export ex;
		tile_record(t, TILE_SEC_EXPORTS, i, &ex);
		if (tile_export_find(t, tile_str(t, ex.name)) != (int)i) {
			fprintf(stderr, "fuzz_tile: export %u not found by its name\n", i);
			abort();
		}
	}
	(void)sum;
}

/* Every type through lib/typed; a file whose types it accepts has
 * schemas whose records decode. */
static void types(const struct tile *t)
{
	static uint8_t mem[TILE_TYPES_SCRATCH];
	char why[256] = "";
	struct tile_schema s;
	struct typed_arena a;
	const struct typed_type *ty;

	if (tile_types_check(t, mem, sizeof mem, why, sizeof why)) {
		if (!why[0]) {
			fprintf(stderr, "fuzz_tile: types refused without a reason\n");
			abort();
		}
		return;
	}
	for (unsigned sec = TILE_SEC_ARGS; sec <= TILE_SEC_CONFIG; sec++) {
		if (!tile_schema_of(t, sec, &s))
			continue;
		typed_arena_init(&a, mem, sizeof mem);
		if (tile_type_decode(t, s.type, &a, &ty, why, sizeof why) ||
		    ty->kind != TYPED_RECORD) {
			fprintf(stderr, "fuzz_tile: an accepted schema does not decode: %s\n", why);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tile t;
	char why[256] = "";
	static uint8_t page[TILE_PAGE];

	if (tile_check(data, size, "fuzz.tile", TILE_ARCH_X86_64, &t, why, sizeof why)) {
		if (!why[0]) {
			fprintf(stderr, "fuzz_tile: refused without a reason\n");
			abort();
		}
		return 0;
	}
	records(&t);
	types(&t);
	struct copy c = {.t = &t};
	for (uint32_t i = 0; i < t.nsegments; i++) {
		const struct tile_segment *s = &t.segments[i];
		for (uint64_t p = 0; p < s->memsz && p < MAX_PAGES * TILE_PAGE; p += TILE_PAGE)
			if (tile_page(&t, s->addr + p, page) != (int)i)
				abort();
		c.bytes[i] = malloc(s->filesz ? s->filesz : 1);
		memcpy(c.bytes[i], data + s->file_offset, s->filesz);
	}
	uint64_t *imports = calloc(t.count[TILE_SEC_IMPORTS] + 1, sizeof *imports);
	tile_relocate(&t, 0x10000000000ull, imports, word, &c);
	const struct tile *order[TILE_MAX_LIBRARIES];
	unsigned n;
	tile_link_order(&t, self, &t, order, TILE_MAX_LIBRARIES, &n, why, sizeof why);
	for (uint32_t i = 0; i < t.count[TILE_SEC_IMPORTS]; i++) {
		uint64_t v;
		tile_import_check(&t, i, &t, &v, why, sizeof why);
	}
	free(imports);
	for (uint32_t i = 0; i < t.nsegments; i++)
		free(c.bytes[i]);
	return 0;
}
