/* A tile's pages and relocation (docs/tile.md §5, §6); see tile.h. */
#include "tile.h"

#include <string/mem.h>

int tile_page(const struct tile *t, uint64_t page, uint8_t *buf)
{
	memset(buf, 0, TILE_PAGE);
	for (uint32_t i = 0; i < t->nsegments; i++) {
		const struct tile_segment *s = &t->segments[i];
		if (page < s->addr || page - s->addr >= s->memsz)
			continue;
		uint64_t in = page - s->addr;
		if (in < s->filesz) {
			uint64_t n = s->filesz - in < TILE_PAGE ? s->filesz - in : TILE_PAGE;
			memcpy(buf, t->file + s->file_offset + in, n);
		}
		return (int)i;
	}
	return -1;
}

static void add(tile_word_fn word, void *ctx, uint64_t off, uint64_t value)
{
	uint8_t *p = word(ctx, off);
	uint64_t v;

	memcpy(&v, p, sizeof v);
	v += value;
	memcpy(p, &v, sizeof v);
}

void tile_relocate(const struct tile *t, uint64_t base, const uint64_t *imports, tile_word_fn word,
                   void *ctx)
{
	uint64_t where = 0;

	for (uint32_t i = 0; i < t->count[TILE_SEC_RELATIVE]; i++) {
		uint64_t v;
		tile_record(t, TILE_SEC_RELATIVE, i, &v);
		if (!(v & 1)) {
			add(word, ctx, v, base);
			where = v + 8;
			continue;
		}
		for (unsigned b = 1; b <= TILE_RELATIVE_BITS; b++)
			if (v >> b & 1)
				add(word, ctx, where + 8ull * (b - 1), base);
		where += 8ull * TILE_RELATIVE_BITS;
	}
	for (uint32_t i = 0; i < t->count[TILE_SEC_BINDS]; i++) {
		struct tile_bind b;
		tile_record(t, TILE_SEC_BINDS, i, &b);
		uint64_t v = imports[b.import] + (uint64_t)b.addend;
		memcpy(word(ctx, b.offset), &v, sizeof v);
	}
}

uint64_t tile_reloc_count(const struct tile *t)
{
	uint64_t n = t->count[TILE_SEC_BINDS];

	for (uint32_t i = 0; i < t->count[TILE_SEC_RELATIVE]; i++) {
		uint64_t v;
		tile_record(t, TILE_SEC_RELATIVE, i, &v);
		if (!(v & 1)) {
			n++;
			continue;
		}
		for (unsigned b = 1; b <= TILE_RELATIVE_BITS; b++)
			n += v >> b & 1;
	}
	return n;
}
