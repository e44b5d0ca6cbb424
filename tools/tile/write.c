/* Writing a tile from its model; see model.h and docs/tile.md. */
#include <stdlib.h>
#include <string.h>

#include "model.h"

void *vec_push(struct vec *v, size_t size)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->data = realloc(v->data, v->cap * size);
		if (!v->data) {
			fprintf(stderr, "tile: out of memory\n");
			exit(1);
		}
	}
	v->size = size;
	void *p = (uint8_t *)v->data + v->n++ * size;
	memset(p, 0, size);
	return p;
}

void model_init(struct model *m, uint16_t kind, const char *name)
{
	memset(m, 0, sizeof *m);
	memcpy(m->h.magic, TILE_MAGIC, TILE_MAGIC_BYTES);
	m->h.format = TILE_VERSION;
	m->h.arch = TILE_ARCH_X86_64;
	m->h.kind = kind;
	m->h.header_size = sizeof m->h;
	m->h.image_align = TILE_PAGE;
	*(char *)vec_push(&m->pool, 1) = 0;
	if (name)
		m->h.name = model_str(m, name);
}

void model_free(struct model *m)
{
	struct vec *all[] = {&m->pool,  &m->segments,  &m->relative, &m->binds,
	                     &m->types, &m->libraries, &m->imports,  &m->exports,
	                     &m->caps,  &m->args,      &m->config,   &m->symbols};

	for (size_t i = 0; i < m->segments.n; i++)
		free(VEC_AT(&m->segments, struct model_segment, i)->bytes);
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		free(all[i]->data);
	for (size_t i = 0; i < m->command_syms.n; i++)
		free(*VEC_AT(&m->command_syms, char *, i));
	free(m->command_syms.data);
	free(m->commands.data);
	free(m->cmd_schema);
	free(m->cmd_arena);
	free(m->cmd_text);
	memset(m, 0, sizeof *m);
}

uint32_t model_str(struct model *m, const char *s)
{
	size_t n = strlen(s);
	const char *pool = m->pool.data;

	if (!n)
		return 0;
	for (size_t off = 1; off + n < m->pool.n; off += strlen(pool + off) + 1)
		if (strcmp(pool + off, s) == 0)
			return (uint32_t)off;
	uint32_t at = (uint32_t)m->pool.n;
	for (size_t i = 0; i <= n; i++)
		*(char *)vec_push(&m->pool, 1) = s[i];
	return at;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The relative offsets, sorted, as packed entries (§6): an offset, then
 * bitmaps of the 63 words after it while any of them is listed. */
static struct vec pack_relative(struct vec *rel)
{
	struct vec out = {0};
	uint64_t *r = rel->data;
	size_t i = 0;

	if (rel->n)
		qsort(r, rel->n, sizeof *r, cmp_u64);
	while (i < rel->n) {
		*(uint64_t *)vec_push(&out, 8) = r[i];
		uint64_t where = r[i] + 8;
		for (i++; i < rel->n && r[i] == r[i - 1]; i++)
			;
		while (i < rel->n && r[i] < where + 8 * TILE_RELATIVE_BITS) {
			uint64_t bits = 1;
			for (; i < rel->n && r[i] < where + 8 * TILE_RELATIVE_BITS; i++)
				bits |= 1ull << ((r[i] - where) / 8 + 1);
			*(uint64_t *)vec_push(&out, 8) = bits;
			where += 8 * TILE_RELATIVE_BITS;
		}
	}
	return out;
}

static const char *export_pool;
static int cmp_export(const void *a, const void *b)
{
	return strcmp(export_pool + ((const struct tile_export *)a)->name,
	              export_pool + ((const struct tile_export *)b)->name);
}

static int cmp_bind(const void *a, const void *b)
{
	return cmp_u64(&((const struct tile_bind *)a)->offset,
	               &((const struct tile_bind *)b)->offset);
}

uint8_t *model_write(struct model *m, size_t *size)
{
	struct vec packed = pack_relative(&m->relative);
	struct {
		uint32_t type, record_size;
		struct vec *v;
	} secs[] = {{TILE_SEC_SEGMENTS, sizeof(struct tile_segment), &m->segments},
	            {TILE_SEC_RELATIVE, 8, &packed},
	            {TILE_SEC_BINDS, sizeof(struct tile_bind), &m->binds},
	            {TILE_SEC_TYPES, sizeof(struct tile_type), &m->types},
	            {TILE_SEC_LIBRARIES, sizeof(struct tile_library), &m->libraries},
	            {TILE_SEC_IMPORTS, sizeof(struct tile_import), &m->imports},
	            {TILE_SEC_EXPORTS, sizeof(struct tile_export), &m->exports},
	            {TILE_SEC_CAPS, sizeof(struct tile_cap), &m->caps},
	            {TILE_SEC_ARGS, sizeof(struct tile_schema), &m->args},
	            {TILE_SEC_CONFIG, sizeof(struct tile_schema), &m->config},
	            {TILE_SEC_SYMBOLS, sizeof(struct tile_symbol), &m->symbols},
	            {TILE_SEC_COMMANDS, sizeof(struct tile_command), &m->commands},
	            {TILE_SEC_POOL, 1, &m->pool}};
	size_t nsec = 0, off;

	export_pool = m->pool.data;
	if (m->exports.n)
		qsort(m->exports.data, m->exports.n, sizeof(struct tile_export), cmp_export);
	if (m->binds.n)
		qsort(m->binds.data, m->binds.n, sizeof(struct tile_bind), cmp_bind);
	for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++)
		nsec += secs[i].v->n > 0;
	m->h.section_count = (uint32_t)nsec;
	off = sizeof m->h + nsec * sizeof(struct tile_section);
	size_t table = sizeof m->h, meta = off;
	for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++)
		meta = (meta + secs[i].v->n * secs[i].record_size + 7) & ~7ull;
	size_t end = (meta + TILE_PAGE - 1) & ~(TILE_PAGE - 1);
	for (size_t i = 0; i < m->segments.n; i++) {
		struct model_segment *s = VEC_AT(&m->segments, struct model_segment, i);
		s->s.file_offset = s->s.filesz ? end : 0;
		end = (end + s->s.filesz + TILE_PAGE - 1) & ~(TILE_PAGE - 1);
	}
	uint8_t *out = calloc(1, end ? end : 1);
	if (!out)
		exit(1);
	m->h.file_size = end;
	for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++) {
		struct vec *v = secs[i].v;
		if (!v->n)
			continue;
		struct tile_section s = {.type = secs[i].type,
		                         .record_size = secs[i].record_size,
		                         .offset = off,
		                         .size = v->n * secs[i].record_size};
		memcpy(out + table, &s, sizeof s);
		table += sizeof s;
		for (size_t k = 0; k < v->n; k++) {
			const uint8_t *rec = (const uint8_t *)v->data + k * v->size;
			size_t n = secs[i].type == TILE_SEC_SEGMENTS ? sizeof(struct tile_segment)
			                                             : secs[i].record_size;
			memcpy(out + off + k * secs[i].record_size, rec, n);
		}
		off = (off + s.size + 7) & ~7ull;
	}
	for (size_t i = 0; i < m->segments.n; i++) {
		struct model_segment *s = VEC_AT(&m->segments, struct model_segment, i);
		if (s->s.filesz)
			memcpy(out + s->s.file_offset, s->bytes, s->s.filesz);
	}
	memcpy(out, &m->h, sizeof m->h);
	free(packed.data);
	*size = end;
	return out;
}
