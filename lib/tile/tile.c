/* The tile checker and record accessors; see tile.h and docs/tile.md §12. */
#include "tile.h"

#include <fmt/fmt.h>
#include <string/mem.h>
#include <tessera/caps.h>

#define U(x) ((unsigned long long)(x))

/* One check in progress: the tile so far and where its message goes. */
struct chk {
	struct tile *t;
	char *why;
	size_t len;
};

__attribute__((format(printf, 3, 4))) static enum err fail(struct chk *c, enum err e,
                                                           const char *fmt, ...)
{
	va_list ap;
	size_t n = 0;

	if (!c->why || !c->len)
		return e;
	n = fmt_snprintf(c->why, c->len, "%s: ", c->t->file_name ? c->t->file_name : "tile");
	if (n >= c->len)
		return e;
	va_start(ap, fmt);
	fmt_vsnprintf(c->why + n, c->len - n, fmt, ap);
	va_end(ap);
	return e;
}

static const uint32_t record_sizes[TILE_SEC_TYPE_COUNT] = {
        [TILE_SEC_POOL] = 1,
        [TILE_SEC_SEGMENTS] = sizeof(struct tile_segment),
        [TILE_SEC_RELATIVE] = sizeof(uint64_t),
        [TILE_SEC_BINDS] = sizeof(struct tile_bind),
        [TILE_SEC_TYPES] = sizeof(struct tile_type),
        [TILE_SEC_LIBRARIES] = sizeof(struct tile_library),
        [TILE_SEC_IMPORTS] = sizeof(struct tile_import),
        [TILE_SEC_EXPORTS] = sizeof(struct tile_export),
        [TILE_SEC_CAPS] = sizeof(struct tile_cap),
        [TILE_SEC_ARGS] = sizeof(struct tile_schema),
        [TILE_SEC_CONFIG] = sizeof(struct tile_schema),
        [TILE_SEC_SYMBOLS] = sizeof(struct tile_symbol),
        [TILE_SEC_COMMANDS] = sizeof(struct tile_command),
};

static const char *const section_names[TILE_SEC_TYPE_COUNT] = {
        [TILE_SEC_POOL] = "pool",         [TILE_SEC_SEGMENTS] = "segments",
        [TILE_SEC_RELATIVE] = "relative", [TILE_SEC_BINDS] = "binds",
        [TILE_SEC_TYPES] = "types",       [TILE_SEC_LIBRARIES] = "libraries",
        [TILE_SEC_IMPORTS] = "imports",   [TILE_SEC_EXPORTS] = "exports",
        [TILE_SEC_CAPS] = "caps",         [TILE_SEC_ARGS] = "args",
        [TILE_SEC_CONFIG] = "config",     [TILE_SEC_SYMBOLS] = "symbols",
        [TILE_SEC_COMMANDS] = "commands",
};

bool tile_is(const void *file, uint64_t size)
{
	return file && size >= TILE_MAGIC_BYTES && memcmp(file, TILE_MAGIC, TILE_MAGIC_BYTES) == 0;
}

void tile_record(const struct tile *t, unsigned type, uint32_t i, void *out)
{
	memcpy(out, t->file + t->offset[type] + (uint64_t)i * record_sizes[type],
	       record_sizes[type]);
}

const char *tile_str(const struct tile *t, uint32_t off)
{
	if (off == 0 || off >= t->count[TILE_SEC_POOL])
		return "";
	return (const char *)t->file + t->offset[TILE_SEC_POOL] + off;
}

uint64_t tile_type_hash(const struct tile *t, uint32_t i)
{
	struct tile_type ty;

	tile_record(t, TILE_SEC_TYPES, i, &ty);
	return ty.hash;
}

const char *tile_type_text(const struct tile *t, uint32_t i)
{
	struct tile_type ty;

	tile_record(t, TILE_SEC_TYPES, i, &ty);
	return tile_str(t, ty.text);
}

const uint8_t *tile_type_desc(const struct tile *t, uint32_t i, uint32_t *size)
{
	struct tile_type ty;

	tile_record(t, TILE_SEC_TYPES, i, &ty);
	*size = ty.blob_size;
	return t->file + t->offset[TILE_SEC_POOL] + ty.blob;
}

bool tile_schema_of(const struct tile *t, unsigned sec, struct tile_schema *s)
{
	if ((sec != TILE_SEC_ARGS && sec != TILE_SEC_CONFIG) || !t->count[sec])
		return false;
	tile_record(t, sec, 0, s);
	return true;
}

/* A string field: 0 (none) or a pool offset whose NUL-terminated string
 * (at most max bytes with its NUL) lies in the pool. */
static enum err check_str(struct chk *c, uint32_t off, size_t max, bool need, const char *what,
                          uint32_t i)
{
	const struct tile *t = c->t;
	uint32_t pool = t->count[TILE_SEC_POOL];

	if (off == 0 && !need)
		return ERR_OK;
	if (off == 0 || off >= pool)
		return fail(c, ERR_CORRUPT,
		            "%s[%u]: string at pool offset %u outside the pool (%u bytes)", what, i,
		            off, pool);
	const char *s = (const char *)t->file + t->offset[TILE_SEC_POOL] + off;
	size_t room = pool - off < max ? pool - off : max;
	size_t n = strnlen(s, room);
	if (n == room)
		return fail(
		        c, ERR_CORRUPT,
		        "%s[%u]: string at pool offset %u is not NUL-terminated within %llu bytes",
		        what, i, off, U(room));
	if (n == 0 && need)
		return fail(c, ERR_CORRUPT, "%s[%u]: empty name", what, i);
	return ERR_OK;
}

static enum err check_header(struct chk *c, uint16_t arch)
{
	const struct tile_header *h = &c->t->h;

	if (memcmp(h->magic, TILE_MAGIC, TILE_MAGIC_BYTES) != 0)
		return fail(c, ERR_CORRUPT, "header.magic: not a tile");
	if (h->format != TILE_VERSION)
		return fail(c, ERR_UNSUPPORTED, "header.format is %u, this loader reads %u",
		            h->format, TILE_VERSION);
	if (h->header_size != sizeof *h)
		return fail(c, ERR_CORRUPT, "header.header_size is %u, not %u", h->header_size,
		            (unsigned)sizeof *h);
	if (h->arch != arch)
		return fail(c, ERR_UNSUPPORTED, "header.arch is %u, this machine is %u", h->arch,
		            arch);
	if (h->kind != TILE_KIND_PROGRAM && h->kind != TILE_KIND_LIBRARY)
		return fail(c, ERR_UNSUPPORTED,
		            "header.kind is %u, not a program (1) or library (2)", h->kind);
	if (h->file_size != c->t->size)
		return fail(c, ERR_CORRUPT,
		            "header.file_size is %llu, the file has %llu bytes (truncated?)",
		            U(h->file_size), U(c->t->size));
	if (h->flags || h->reserved)
		return fail(c, ERR_CORRUPT, "header.flags/reserved are not 0");
	if (h->image_align != TILE_PAGE && h->image_align != TILE_LARGE_PAGE)
		return fail(c, ERR_CORRUPT, "header.image_align 0x%llx is not 4 KiB or 2 MiB",
		            U(h->image_align));
	if (!h->image_size || h->image_size % TILE_PAGE || h->image_size > TILE_MAX_IMAGE)
		return fail(c, ERR_CORRUPT,
		            "header.image_size 0x%llx: not a multiple of 4 KiB in (0, 1 TiB]",
		            U(h->image_size));
	if (h->section_count > TILE_SEC_TYPE_COUNT - 1)
		return fail(c, ERR_CORRUPT, "header.section_count %u: at most %u sections",
		            h->section_count, TILE_SEC_TYPE_COUNT - 1);
	return ERR_OK;
}

/* The section table: known types once each, records of the right size,
 * inside the file, after the table. */
static enum err check_sections(struct chk *c)
{
	struct tile *t = c->t;
	uint64_t table = sizeof t->h,
	         end = table + t->h.section_count * sizeof(struct tile_section);
	bool seen[TILE_SEC_TYPE_COUNT] = {false};

	if (end > t->size)
		return fail(c, ERR_CORRUPT,
		            "section table: %u entries end at %llu, past the file's %llu bytes",
		            t->h.section_count, U(end), U(t->size));
	for (uint32_t i = 0; i < t->h.section_count; i++) {
		struct tile_section s;
		memcpy(&s, t->file + table + i * sizeof s, sizeof s);
		if (s.type == 0 || s.type >= TILE_SEC_TYPE_COUNT)
			return fail(c, ERR_CORRUPT, "sections[%u].type %u is not a known section",
			            i, s.type);
		const char *name = section_names[s.type];
		if (seen[s.type])
			return fail(c, ERR_CORRUPT, "sections[%u]: a second %s section", i, name);
		seen[s.type] = true;
		if (s.record_size != record_sizes[s.type])
			return fail(c, ERR_CORRUPT, "sections[%u] (%s).record_size is %u, not %u",
			            i, name, s.record_size, record_sizes[s.type]);
		if (s.offset % 8 || s.offset < end || s.offset > t->size ||
		    s.size > t->size - s.offset)
			return fail(c, ERR_CORRUPT,
			            "sections[%u] (%s): bytes 0x%llx+0x%llx not 8-aligned inside "
			            "the file after the table",
			            i, name, U(s.offset), U(s.size));
		if (s.size % s.record_size)
			return fail(c, ERR_CORRUPT,
			            "sections[%u] (%s).size %llu is not a multiple of %u", i, name,
			            U(s.size), s.record_size);
		uint64_t n = s.size / s.record_size;
		if (n > (s.type == TILE_SEC_POOL ? TILE_MAX_FILE : TILE_MAX_RECORDS))
			return fail(c, ERR_CORRUPT,
			            "sections[%u] (%s): %llu records, more than this loader takes",
			            i, name, U(n));
		t->offset[s.type] = s.offset;
		t->count[s.type] = (uint32_t)n;
	}
	if (!t->count[TILE_SEC_POOL] || t->file[t->offset[TILE_SEC_POOL]] != 0)
		return fail(c, ERR_CORRUPT, "pool: missing, or its first byte is not NUL");
	return check_str(c, t->h.name, TILE_MAX_NAME, true, "header.name", 0);
}

static enum err check_segment(struct chk *c, uint32_t i, const struct tile_segment *s,
                              uint64_t prev_end)
{
	const struct tile *t = c->t;

	if (s->addr % TILE_PAGE || s->addr < prev_end)
		return fail(c, ERR_CORRUPT,
		            "segments[%u].addr 0x%llx: not page-aligned or overlaps the segment "
		            "before (ends 0x%llx)",
		            i, U(s->addr), U(prev_end));
	if (!s->memsz || s->memsz > t->h.image_size || s->addr > t->h.image_size - s->memsz)
		return fail(c, ERR_CORRUPT,
		            "segments[%u].memsz 0x%llx: empty, or past header.image_size 0x%llx", i,
		            U(s->memsz), U(t->h.image_size));
	if (s->filesz > s->memsz)
		return fail(c, ERR_CORRUPT, "segments[%u].filesz 0x%llx > memsz 0x%llx", i,
		            U(s->filesz), U(s->memsz));
	if (s->file_offset % TILE_PAGE || s->file_offset > t->size ||
	    s->filesz > t->size - s->file_offset)
		return fail(c, ERR_CORRUPT,
		            "segments[%u].file_offset 0x%llx+filesz 0x%llx: not page-aligned or "
		            "outside the file",
		            i, U(s->file_offset), U(s->filesz));
	if (!(s->prot & TILE_PROT_R) || s->prot & ~(TILE_PROT_R | TILE_PROT_W | TILE_PROT_X))
		return fail(c, ERR_CORRUPT, "segments[%u].prot 0x%x: not readable, or unknown bits",
		            i, s->prot);
	if ((s->prot & TILE_PROT_W) && (s->prot & TILE_PROT_X))
		return fail(c, ERR_CORRUPT, "segments[%u].prot: writable and executable", i);
	if (s->align_bits != 12 && s->align_bits != 21)
		return fail(c, ERR_CORRUPT, "segments[%u].align_bits %u is not 12 or 21", i,
		            s->align_bits);
	if (s->align_bits == 21 &&
	    (s->addr % TILE_LARGE_PAGE || t->h.image_align != TILE_LARGE_PAGE))
		return fail(
		        c, ERR_CORRUPT,
		        "segments[%u].align_bits 21: addr 0x%llx or header.image_align not 2 MiB",
		        i, U(s->addr));
	return ERR_OK;
}

static enum err check_segments(struct chk *c)
{
	struct tile *t = c->t;
	uint64_t end = 0;

	if (!t->count[TILE_SEC_SEGMENTS] || t->count[TILE_SEC_SEGMENTS] > TILE_MAX_SEGMENTS)
		return fail(c, ERR_CORRUPT, "segments: %u, not 1 to %u",
		            t->count[TILE_SEC_SEGMENTS], TILE_MAX_SEGMENTS);
	t->nsegments = t->count[TILE_SEC_SEGMENTS];
	for (uint32_t i = 0; i < t->nsegments; i++) {
		struct tile_segment *s = &t->segments[i];
		tile_record(t, TILE_SEC_SEGMENTS, i, s);
		enum err e = check_segment(c, i, s, end);
		if (e)
			return e;
		end = s->addr + s->memsz;
	}
	return ERR_OK;
}

/* The segment holding [off, off + n), or NULL. */
static const struct tile_segment *segment_at(const struct tile *t, uint64_t off, uint64_t n)
{
	for (uint32_t i = 0; i < t->nsegments; i++) {
		const struct tile_segment *s = &t->segments[i];
		if (off >= s->addr && off - s->addr <= s->memsz && n <= s->memsz - (off - s->addr))
			return s;
	}
	return NULL;
}

/* A relocation target: an aligned word in a segment that is not code. */
static enum err check_target(struct chk *c, const char *what, uint64_t i, uint64_t off)
{
	const struct tile_segment *s = segment_at(c->t, off, 8);

	if (off % 8 || !s || off + 8 > s->addr + s->filesz)
		return fail(c, ERR_CORRUPT,
		            "%s[%llu]: word at 0x%llx is not an aligned word inside a segment's "
		            "file bytes",
		            what, U(i), U(off));
	if (s->prot & TILE_PROT_X)
		return fail(c, ERR_CORRUPT, "%s[%llu]: word at 0x%llx is in an executable segment",
		            what, U(i), U(off));
	return ERR_OK;
}

static enum err check_relative(struct chk *c)
{
	const struct tile *t = c->t;
	uint64_t where = 0; /* the next word an odd entry starts at; 0: none yet */
	enum err e = ERR_OK;

	for (uint32_t i = 0; !e && i < t->count[TILE_SEC_RELATIVE]; i++) {
		uint64_t v;
		tile_record(t, TILE_SEC_RELATIVE, i, &v);
		if (!(v & 1)) {
			if (i && v < where)
				return fail(c, ERR_CORRUPT,
				            "relative[%u]: offset 0x%llx is below the one before",
				            i, U(v));
			e = check_target(c, "relative", i, v);
			where = v + 8;
			continue;
		}
		if (!i)
			return fail(c, ERR_CORRUPT, "relative[0]: a bitmap before any offset");
		for (unsigned b = 1; !e && b <= TILE_RELATIVE_BITS; b++)
			if (v >> b & 1)
				e = check_target(c, "relative", i, where + 8ull * (b - 1));
		where += 8ull * TILE_RELATIVE_BITS;
	}
	return e;
}

static enum err check_binds(struct chk *c)
{
	const struct tile *t = c->t;
	uint64_t prev = 0;

	for (uint32_t i = 0; i < t->count[TILE_SEC_BINDS]; i++) {
		struct tile_bind b;
		tile_record(t, TILE_SEC_BINDS, i, &b);
		if (i && b.offset <= prev)
			return fail(c, ERR_CORRUPT,
			            "binds[%u].offset 0x%llx is not above the one before", i,
			            U(b.offset));
		if (b.import >= t->count[TILE_SEC_IMPORTS] || b.reserved)
			return fail(c, ERR_CORRUPT, "binds[%u].import %u: there are %u imports", i,
			            b.import, t->count[TILE_SEC_IMPORTS]);
		enum err e = check_target(c, "binds", i, b.offset);
		if (e)
			return e;
		prev = b.offset;
	}
	return ERR_OK;
}

static enum err check_types(struct chk *c)
{
	const struct tile *t = c->t;

	for (uint32_t i = 0; i < t->count[TILE_SEC_TYPES]; i++) {
		struct tile_type ty;
		tile_record(t, TILE_SEC_TYPES, i, &ty);
		uint32_t pool = t->count[TILE_SEC_POOL];
		if (ty.blob >= pool || ty.blob_size > pool - ty.blob || ty.reserved)
			return fail(c, ERR_CORRUPT,
			            "types[%u].blob %u+%u: outside the pool (%u bytes)", i, ty.blob,
			            ty.blob_size, pool);
		const uint8_t *d = t->file + t->offset[TILE_SEC_POOL] + ty.blob;
		if (ty.blob_size < TILE_DESC_MIN || memcmp(d, TILE_DESC_MAGIC, 3) != 0 ||
		    d[3] != TILE_DESC_VERSION)
			return fail(c, ERR_CORRUPT,
			            "types[%u].blob: not a typed descriptor (\"TYD\", version %u)",
			            i, TILE_DESC_VERSION);
		enum err e = check_str(c, ty.text, pool, true, "types.text", i);
		if (e)
			return e;
	}
	return ERR_OK;
}

/* A type index and a symbol kind of record i of what. */
static enum err check_typed(struct chk *c, const char *what, uint32_t i, uint32_t type,
                            uint16_t kind)
{
	if (type >= c->t->count[TILE_SEC_TYPES])
		return fail(c, ERR_CORRUPT, "%s[%u].type %u: there are %u types", what, i, type,
		            c->t->count[TILE_SEC_TYPES]);
	if (kind != TILE_SYM_FUNC && kind != TILE_SYM_DATA)
		return fail(c, ERR_CORRUPT, "%s[%u].kind %u is not func (1) or data (2)", what, i,
		            kind);
	return ERR_OK;
}

static enum err check_linking(struct chk *c)
{
	const struct tile *t = c->t;
	enum err e = ERR_OK;

	for (uint32_t i = 0; !e && i < t->count[TILE_SEC_LIBRARIES]; i++) {
		struct tile_library l;
		tile_record(t, TILE_SEC_LIBRARIES, i, &l);
		e = check_str(c, l.name, TILE_MAX_NAME, true, "libraries", i);
		if (!e && ((uint32_t)l.min_major << 16 | l.min_minor) >=
		                  ((uint32_t)l.max_major << 16 | l.max_minor))
			e = fail(c, ERR_CORRUPT,
			         "libraries[%u]: version range [%u.%u, %u.%u) is empty", i,
			         l.min_major, l.min_minor, l.max_major, l.max_minor);
	}
	for (uint32_t i = 0; !e && i < t->count[TILE_SEC_IMPORTS]; i++) {
		struct tile_import im;
		tile_record(t, TILE_SEC_IMPORTS, i, &im);
		if (im.library >= t->count[TILE_SEC_LIBRARIES])
			return fail(c, ERR_CORRUPT,
			            "imports[%u].library %u: there are %u libraries", i, im.library,
			            t->count[TILE_SEC_LIBRARIES]);
		e = check_str(c, im.name, TILE_MAX_NAME, true, "imports", i);
		if (!e)
			e = check_typed(c, "imports", i, im.type, im.kind);
	}
	const char *prev = NULL;
	for (uint32_t i = 0; !e && i < t->count[TILE_SEC_EXPORTS]; i++) {
		struct tile_export ex;
		tile_record(t, TILE_SEC_EXPORTS, i, &ex);
		e = check_str(c, ex.name, TILE_MAX_NAME, true, "exports", i);
		if (!e)
			e = check_typed(c, "exports", i, ex.type, ex.kind);
		if (e)
			return e;
		const struct tile_segment *s = segment_at(t, ex.value, 1);
		if (!s || !(s->prot & TILE_PROT_X) != (ex.kind == TILE_SYM_DATA))
			return fail(c, ERR_CORRUPT,
			            "exports[%u].value 0x%llx is not in a %s segment", i,
			            U(ex.value), ex.kind == TILE_SYM_FUNC ? "code" : "data");
		if (prev && strcmp(prev, tile_str(t, ex.name)) >= 0)
			return fail(c, ERR_CORRUPT,
			            "exports[%u]: '%s' is not after '%s' (sorted, unique)", i,
			            tile_str(t, ex.name), prev);
		prev = tile_str(t, ex.name);
	}
	return e;
}

static enum err check_caps(struct chk *c)
{
	const struct tile *t = c->t;

	if (t->count[TILE_SEC_CAPS] > TILE_MAX_CAPS)
		return fail(c, ERR_CORRUPT, "caps: %u entries, at most %u", t->count[TILE_SEC_CAPS],
		            TILE_MAX_CAPS);
	for (uint32_t i = 0; i < t->count[TILE_SEC_CAPS]; i++) {
		struct tile_cap k;
		tile_record(t, TILE_SEC_CAPS, i, &k);
		enum err e = check_str(c, k.name, TILE_MAX_NAME, true, "caps", i);
		if (e)
			return e;
		if (k.type == 0 || k.type >= TILE_CAP_TYPE_COUNT)
			return fail(c, ERR_CORRUPT,
			            "caps[%u].type %u is not a known capability type", i, k.type);
		if (k.rights & ~CAP_RIGHTS_ALL || k.flags & ~TILE_CAP_OPTIONAL || k.reserved)
			return fail(c, ERR_CORRUPT, "caps[%u]: unknown rights 0x%x or flags 0x%x",
			            i, k.rights, k.flags);
		bool memory = k.type == TILE_CAP_MEMORY;
		if (memory ? k.size < TILE_PAGE || k.size > TILE_MAX_IMAGE ||
		                     (k.size & (k.size - 1))
		           : k.size != 0)
			return fail(c, ERR_CORRUPT, "caps[%u].size 0x%llx: %s", i, U(k.size),
			            memory ? "not a power of two in [4 KiB, 1 TiB]" : "not 0");
		for (uint32_t j = 0; j < i; j++) {
			struct tile_cap o;
			tile_record(t, TILE_SEC_CAPS, j, &o);
			if (strcmp(tile_str(t, o.name), tile_str(t, k.name)) == 0 &&
			    o.type == k.type)
				return fail(c, ERR_CORRUPT, "caps[%u]: '%s' is named twice", i,
				            tile_str(t, k.name));
		}
	}
	return ERR_OK;
}

/* A schema (§10): at most one, a record's descriptor and its name. */
static enum err check_schema(struct chk *c, unsigned sec)
{
	const struct tile *t = c->t;
	const char *what = section_names[sec];
	struct tile_schema s;
	uint32_t size;

	if (t->count[sec] > 1)
		return fail(c, ERR_CORRUPT, "%s: %u schemas, at most 1", what, t->count[sec]);
	if (!t->count[sec])
		return ERR_OK;
	tile_record(t, sec, 0, &s);
	enum err e = check_str(c, s.name, TILE_MAX_NAME, true, what, 0);
	if (e)
		return e;
	if (s.type >= t->count[TILE_SEC_TYPES])
		return fail(c, ERR_CORRUPT, "%s[0].type %u: there are %u types", what, s.type,
		            t->count[TILE_SEC_TYPES]);
	if (s.flags || s.reserved)
		return fail(c, ERR_CORRUPT, "%s[0].flags 0x%x: unknown bits", what, s.flags);
	if (tile_type_desc(t, s.type, &size)[4] != TILE_DESC_RECORD)
		return fail(c, ERR_CORRUPT, "%s[0].type %u: not a record's descriptor", what,
		            s.type);
	return ERR_OK;
}

static enum err check_symbols(struct chk *c)
{
	const struct tile *t = c->t;

	for (uint32_t i = 0; i < t->count[TILE_SEC_SYMBOLS]; i++) {
		struct tile_symbol s;
		tile_record(t, TILE_SEC_SYMBOLS, i, &s);
		enum err e = check_str(c, s.name, t->count[TILE_SEC_POOL], true, "symbols", i);
		if (e)
			return e;
		if (s.value > t->h.image_size || s.size > t->h.image_size - s.value ||
		    (s.kind != TILE_SYM_FUNC && s.kind != TILE_SYM_DATA))
			return fail(c, ERR_CORRUPT,
			            "symbols[%u]: 0x%llx+0x%llx outside the image, or kind %u", i,
			            U(s.value), U(s.size), s.kind);
	}
	return ERR_OK;
}

/* A command's type index: TILE_CMD_NONE or a type. */
static enum err check_cmd_type(struct chk *c, uint32_t i, const char *field, uint32_t type)
{
	if (type != TILE_CMD_NONE && type >= c->t->count[TILE_SEC_TYPES])
		return fail(c, ERR_CORRUPT, "commands[%u].%s %u: there are %u types", i, field,
		            type, c->t->count[TILE_SEC_TYPES]);
	return ERR_OK;
}

/* Shell commands (§16): names unique, strings in the pool, the function in
 * code, type indexes that exist, in/out known, an ABI version, reserved 0.
 * What the shell needs beyond that (the types' kinds, the letters) is the
 * shell's to check (lib/shell/cmdlib.c). */
static enum err check_commands(struct chk *c)
{
	const struct tile *t = c->t;

	for (uint32_t i = 0; i < t->count[TILE_SEC_COMMANDS]; i++) {
		struct tile_command k;
		tile_record(t, TILE_SEC_COMMANDS, i, &k);
		enum err e = check_str(c, k.name, TILE_MAX_NAME, true, "commands", i);
		if (!e)
			e = check_str(c, k.doc, TILE_MAX_DOC, false, "commands", i);
		if (!e)
			e = check_str(c, k.kinds, TILE_MAX_NAME, false, "commands", i);
		if (!e)
			e = check_cmd_type(c, i, "params", k.params);
		if (!e)
			e = check_cmd_type(c, i, "input", k.input);
		if (!e)
			e = check_cmd_type(c, i, "result", k.result);
		if (e)
			return e;
		const struct tile_segment *s = segment_at(t, k.value, 1);
		if (!s || !(s->prot & TILE_PROT_X))
			return fail(c, ERR_CORRUPT, "commands[%u].value 0x%llx is not in code", i,
			            U(k.value));
		if (k.in > TILE_CMD_IO_MAX || k.out > TILE_CMD_IO_MAX || !k.abi || k.reserved)
			return fail(c, ERR_CORRUPT,
			            "commands[%u]: in %u, out %u (at most %u), abi %u, reserved %u",
			            i, k.in, k.out, TILE_CMD_IO_MAX, k.abi, k.reserved);
		for (uint32_t j = 0; j < i; j++) {
			struct tile_command o;
			tile_record(t, TILE_SEC_COMMANDS, j, &o);
			if (strcmp(tile_str(t, o.name), tile_str(t, k.name)) == 0)
				return fail(c, ERR_CORRUPT, "commands[%u]: '%s' is named twice", i,
				            tile_str(t, k.name));
		}
	}
	return ERR_OK;
}

/* What a program or a library may carry (§2): a program an entry in code
 * and no exports; a library neither entry nor manifest nor schemas. */
static enum err check_kind(struct chk *c)
{
	const struct tile *t = c->t;

	if (t->h.kind == TILE_KIND_LIBRARY) {
		if (t->h.entry || t->count[TILE_SEC_CAPS] || t->count[TILE_SEC_ARGS] ||
		    t->count[TILE_SEC_CONFIG])
			return fail(c, ERR_CORRUPT,
			            "header.kind library: it has an entry, a manifest or schemas");
		return ERR_OK;
	}
	const struct tile_segment *s = segment_at(t, t->h.entry, 1);
	if (!s || !(s->prot & TILE_PROT_X))
		return fail(c, ERR_CORRUPT, "header.entry 0x%llx is not in an executable segment",
		            U(t->h.entry));
	if (t->count[TILE_SEC_EXPORTS] || t->count[TILE_SEC_COMMANDS])
		return fail(c, ERR_CORRUPT,
		            "exports: a program exports nothing (%u exports, %u commands)",
		            t->count[TILE_SEC_EXPORTS], t->count[TILE_SEC_COMMANDS]);
	return ERR_OK;
}

enum err tile_check(const void *file, uint64_t size, const char *file_name, uint16_t arch,
                    struct tile *t, char *why, size_t why_len)
{
	struct chk c = {.t = t, .why = why, .len = why_len};
	enum err e;

	memset(t, 0, sizeof *t);
	t->file = file;
	t->size = size;
	t->file_name = file_name;
	if (!file || size < sizeof t->h)
		return fail(&c, ERR_CORRUPT, "%llu bytes: too small for a tile header (%u)",
		            U(size), (unsigned)sizeof t->h);
	if (size > TILE_MAX_FILE)
		return fail(&c, ERR_CORRUPT, "%llu bytes: larger than %llu", U(size),
		            U(TILE_MAX_FILE));
	memcpy(&t->h, file, sizeof t->h);
	e = check_header(&c, arch);
	if (!e)
		e = check_sections(&c);
	if (!e)
		e = check_segments(&c);
	if (!e)
		e = check_types(&c);
	if (!e)
		e = check_linking(&c);
	if (!e)
		e = check_relative(&c);
	if (!e)
		e = check_binds(&c);
	if (!e)
		e = check_caps(&c);
	if (!e)
		e = check_schema(&c, TILE_SEC_ARGS);
	if (!e)
		e = check_schema(&c, TILE_SEC_CONFIG);
	if (!e)
		e = check_symbols(&c);
	if (!e)
		e = check_commands(&c);
	if (!e)
		e = check_kind(&c);
	return e;
}
