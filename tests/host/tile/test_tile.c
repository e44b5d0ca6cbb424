/* Host tests of tiles (docs/tile.md): files made by the tool's writer
 * (tools/tile/write.c) read back by the checker (lib/tile) record by
 * record; relocation against hand-computed words; every refusal of a
 * damaged file with its exact message (the file is changed at offsets
 * found by walking the section table by hand); linking: exports, versions,
 * types, missing and cyclic libraries. */
#include <stdlib.h>
#include <string.h>
#include <tile/tile.h>
#include <tile/types.h>

#include "../../../tools/tile/model.h"
#include "../htest.h"

static const uint64_t rel_offsets[] = {0x3000, 0x3008, 0x3010, 0x3080, 0x3400};

/* A type in the manifest's syntax (tools/tile/types.c); its index. */
static uint32_t type(struct model *m, const char *text)
{
	char why[160];
	uint32_t i = ~0u;

	HT_EXPECT(model_type(m, text, &i, why, sizeof why) == 0);
	return i;
}

/* The argument schema: record sample_args { limit: uint 2..100 = 100
 * "the limit" }; the configuration's: record sample_config { mode:
 * string(15) "how" }, required. */
static const struct typed_type u_2_100 = {.kind = TYPED_UINT, .u = {2, 100}};
static const struct typed_value limit_default = {.type = &u_2_100, .u = 100};
static const struct typed_field args_fields[] = {{"limit", "the limit", &u_2_100, &limit_default}};
static const struct typed_type args_type = {.kind = TYPED_RECORD, .rec = {args_fields, 1}};
static const struct typed_type str15 = {.kind = TYPED_STRING, .str = {15}};
static const struct typed_field config_fields[] = {{"mode", "how", &str15, NULL}};
static const struct typed_type config_type = {.kind = TYPED_RECORD, .rec = {config_fields, 1}};

/* lib/typed's encodings (lib/typed/README.md, "Descriptor encoding"),
 * written out by hand: u64 (uint 0..2^64-1) and sample_args's identity
 * form (no documentation, no default). */
static const uint8_t u64_desc[] = {'T',  'Y',  'D',  1,    3,    0,    0xff, 0xff,
                                   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1};
static const uint8_t args_identity[] = {'T', 'Y', 'D', 1, 11, 1, 5, 'l', 'i',
                                        'm', 'i', 't', 0, 0,  3, 2, 100};

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* A program: code (0x2000, 0x1800 in the file), read-only data (0x1000),
 * data (0x2000, 0x500 in the file); five relative words, a library with
 * two imports and a bind each, two caps, an argument, a config field, a
 * symbol. */
static void sample(struct model *m)
{
	static const struct {
		uint64_t addr, memsz, filesz;
		uint32_t prot;
	} segs[] = {{0, 0x2000, 0x1800, TILE_PROT_R | TILE_PROT_X},
	            {0x2000, 0x1000, 0x10, TILE_PROT_R},
	            {0x3000, 0x2000, 0x500, TILE_PROT_R | TILE_PROT_W}};

	model_init(m, TILE_KIND_PROGRAM, "sample");
	m->h.version_major = 1, m->h.version_minor = 2;
	m->h.image_size = 0x5000;
	m->h.entry = 0x10;
	for (int i = 0; i < 16; i++)
		m->h.build_id[i] = (uint8_t)i;
	for (size_t i = 0; i < 3; i++) {
		struct model_segment *s = vec_push(&m->segments, sizeof *s);
		s->s = (struct tile_segment){.addr = segs[i].addr,
		                             .memsz = segs[i].memsz,
		                             .filesz = segs[i].filesz,
		                             .prot = segs[i].prot,
		                             .align_bits = 12};
		s->bytes = malloc(segs[i].filesz);
		for (uint64_t k = 0; k < segs[i].filesz; k++)
			s->bytes[k] = (uint8_t)(k + i);
	}
	for (size_t i = 0; i < sizeof rel_offsets / sizeof rel_offsets[0]; i++)
		*(uint64_t *)vec_push(&m->relative, 8) = rel_offsets[i];
	struct tile_library *l = vec_push(&m->libraries, sizeof *l);
	*l = (struct tile_library){.name = model_str(m, "demo"), .min_major = 1, .max_major = 2};
	const char *names[] = {"add", "counter"};
	for (uint32_t i = 0; i < 2; i++) {
		struct tile_import *im = vec_push(&m->imports, sizeof *im);
		*im = (struct tile_import){.name = model_str(m, names[i]),
		                           .type = type(m, i ? "u64" : "fn(u64, u64) -> u64"),
		                           .kind = i ? TILE_SYM_DATA : TILE_SYM_FUNC};
		struct tile_bind *b = vec_push(&m->binds, sizeof *b);
		*b = (struct tile_bind){
		        .offset = 0x3100 + 8 * i, .import = i, .addend = i ? 16 : 0};
	}
	struct tile_cap *c = vec_push(&m->caps, sizeof *c);
	*c = (struct tile_cap){.name = model_str(m, "log"), .type = TILE_CAP_LOG, .rights = 2};
	c = vec_push(&m->caps, sizeof *c);
	*c = (struct tile_cap){.name = model_str(m, "memory"),
	                       .type = TILE_CAP_MEMORY,
	                       .rights = 16,
	                       .size = 1 << 20};
	struct tile_schema *f = vec_push(&m->args, sizeof *f);
	*f = (struct tile_schema){.type = model_desc(m, &args_type, "sample_args"),
	                          .name = model_str(m, "sample_args")};
	f = vec_push(&m->config, sizeof *f);
	*f = (struct tile_schema){.type = model_desc(m, &config_type, "sample_config"),
	                          .name = model_str(m, "sample_config")};
	struct tile_symbol *y = vec_push(&m->symbols, sizeof *y);
	*y = (struct tile_symbol){
	        .value = 0x10, .size = 0x20, .name = model_str(m, "main"), .kind = TILE_SYM_FUNC};
}

static uint8_t *sample_file(size_t *size)
{
	struct model m;

	sample(&m);
	uint8_t *f = model_write(&m, size);
	model_free(&m);
	return f;
}

/* The offset of section type's records, found by walking the table. */
static uint64_t sec_at(const uint8_t *f, uint32_t type)
{
	uint32_t n;

	memcpy(&n, f + 16, 4);
	for (uint32_t i = 0; i < n; i++) {
		struct tile_section s;
		memcpy(&s, f + 88 + 24 * i, sizeof s);
		if (s.type == type)
			return s.offset;
	}
	return 0;
}

static void put64(uint8_t *f, uint64_t at, uint64_t v)
{
	memcpy(f + at, &v, 8);
}

static void put32(uint8_t *f, uint64_t at, uint32_t v)
{
	memcpy(f + at, &v, 4);
}

/* The message for a file changed by change(f) (NULL: none). */
static enum err refused(void (*change)(uint8_t *, size_t *), char *why)
{
	size_t size;
	uint8_t *f = sample_file(&size);
	struct tile t;

	if (change)
		change(f, &size);
	why[0] = 0;
	enum err e = tile_check(f, size, "t.tile", TILE_ARCH_X86_64, &t, why, 256);
	free(f);
	return e;
}

HTEST(tile_round_trip_reads_back_every_record)
{
	size_t size;
	uint8_t *f = sample_file(&size);
	struct tile t;
	char why[256];

	HT_ASSERT(tile_check(f, size, "t.tile", TILE_ARCH_X86_64, &t, why, sizeof why) == ERR_OK);
	HT_EXPECT_EQ(size % 4096, 0);
	HT_EXPECT_STREQ(tile_str(&t, t.h.name), "sample");
	HT_EXPECT_EQ(t.h.entry, 0x10);
	HT_EXPECT_EQ(t.h.version_minor, 2);
	HT_EXPECT_EQ(t.h.build_id[15], 15);
	HT_ASSERT(t.nsegments == 3);
	HT_EXPECT_EQ(t.segments[2].addr, 0x3000);
	HT_EXPECT_EQ(t.segments[2].filesz, 0x500);
	for (uint32_t i = 0; i < 3; i++) {
		HT_EXPECT_EQ(t.segments[i].file_offset % 4096, 0);
		HT_EXPECT_EQ(f[t.segments[i].file_offset + 5], (uint8_t)(5 + i));
	}
	/* five offsets: one packed entry and a bitmap, then one more offset */
	HT_EXPECT_EQ(t.count[TILE_SEC_RELATIVE], 3);
	HT_EXPECT_EQ(tile_reloc_count(&t), 5 + 2);
	struct tile_import im;
	tile_record(&t, TILE_SEC_IMPORTS, 1, &im);
	HT_EXPECT_STREQ(tile_str(&t, im.name), "counter");
	HT_EXPECT_STREQ(tile_type_text(&t, im.type), "u64");
	/* the type: lib/typed's descriptor of u64, its identity the FNV-1a
	 * 64 of those bytes (it has no documentation or default) */
	uint32_t n;
	const uint8_t *d = tile_type_desc(&t, im.type, &n);
	HT_ASSERT(n == sizeof u64_desc);
	HT_EXPECT(memcmp(d, u64_desc, n) == 0);
	HT_EXPECT_EQ(tile_type_hash(&t, im.type), fnv1a(u64_desc, sizeof u64_desc));
	struct tile_cap c;
	tile_record(&t, TILE_SEC_CAPS, 1, &c);
	HT_EXPECT_EQ(c.size, 1 << 20);
	/* the schemas: a record each, by name; the identity leaves the
	 * documentation and the default out, the descriptor keeps them */
	struct tile_schema sc;
	HT_ASSERT(tile_schema_of(&t, TILE_SEC_ARGS, &sc));
	HT_EXPECT_STREQ(tile_str(&t, sc.name), "sample_args");
	HT_EXPECT_EQ(tile_type_hash(&t, sc.type), fnv1a(args_identity, sizeof args_identity));
	d = tile_type_desc(&t, sc.type, &n);
	HT_EXPECT_EQ(n, sizeof args_identity + 9 + 1); /* "the limit", and the default */
	HT_EXPECT(n > 14 && memcmp(d + 12, "\x09the limit\x01\x03\x02\x64\x64", 15) == 0);
	HT_ASSERT(tile_schema_of(&t, TILE_SEC_CONFIG, &sc));
	HT_EXPECT_STREQ(tile_str(&t, sc.name), "sample_config");
	HT_EXPECT(!tile_schema_of(&t, TILE_SEC_IMPORTS, &sc));
	static uint8_t mem[TILE_TYPES_SCRATCH];
	HT_EXPECT_EQ(tile_types_check(&t, mem, sizeof mem, why, sizeof why), ERR_OK);
	free(f);
}

/* The image as the loader would place it: the segments' bytes at their
 * addresses. */
static uint8_t image[0x5000];
static uint8_t *word(void *ctx, uint64_t off)
{
	(void)ctx;
	return image + off;
}

HTEST(tile_relocation_adds_the_base_and_binds_imports)
{
	size_t size;
	uint8_t *f = sample_file(&size);
	struct tile t;
	uint8_t page[4096];
	const uint64_t base = 0x10000200000ull, imports[2] = {0x7000, 0x9000};

	HT_ASSERT(tile_check(f, size, "t.tile", TILE_ARCH_X86_64, &t, NULL, 0) == ERR_OK);
	for (uint64_t p = 0; p < sizeof image; p += 4096) {
		HT_EXPECT(tile_page(&t, p, page) >= 0);
		memcpy(image + p, page, 4096);
	}
	HT_EXPECT_EQ(image[0x3000 + 0x4ff], (uint8_t)(0x4ff + 2));
	HT_EXPECT_EQ(image[0x3000 + 0x500], 0); /* past filesz */
	uint8_t before[sizeof image];
	memcpy(before, image, sizeof image);
	tile_relocate(&t, base, imports, word, NULL);
	for (uint64_t off = 0; off < sizeof image; off += 8) {
		uint64_t was, now, want;
		memcpy(&was, before + off, 8);
		memcpy(&now, image + off, 8);
		want = was;
		for (size_t i = 0; i < sizeof rel_offsets / sizeof rel_offsets[0]; i++)
			if (rel_offsets[i] == off)
				want = was + base;
		if (off == 0x3100)
			want = 0x7000;
		if (off == 0x3108)
			want = 0x9000 + 16;
		HT_EXPECT_EQ(now, want);
	}
	free(f);
}

#define REFUSE(change, e, msg)                          \
	do {                                            \
		char why_[256];                         \
		HT_EXPECT_EQ(refused(change, why_), e); \
		HT_EXPECT_STREQ(why_, "t.tile: " msg);  \
	} while (0)

static void truncate_one(uint8_t *f, size_t *size)
{
	(void)f;
	*size -= 1;
}
static void tiny(uint8_t *f, size_t *size)
{
	(void)f;
	*size = 10;
}
static void magic(uint8_t *f, size_t *size)
{
	(void)size;
	f[1] = 'X';
}
static void arch(uint8_t *f, size_t *size)
{
	(void)size;
	f[10] = TILE_ARCH_AARCH64;
}
static void overlap(uint8_t *f, size_t *size)
{
	(void)size;
	put64(f, sec_at(f, TILE_SEC_SEGMENTS) + 40, 0x1000); /* segments[1].addr */
}
static void wx(uint8_t *f, size_t *size)
{
	(void)size;
	put32(f, sec_at(f, TILE_SEC_SEGMENTS) + 80 + 32, 7); /* segments[2].prot */
}
static void seg_past_file(uint8_t *f, size_t *size)
{
	(void)size;
	put64(f, sec_at(f, TILE_SEC_SEGMENTS) + 80 + 16, 1ull << 40); /* segments[2].file_offset */
}
static void reloc_out(uint8_t *f, size_t *size)
{
	(void)size;
	put64(f, sec_at(f, TILE_SEC_RELATIVE), 0x4000); /* data's file bytes end at 0x3500 */
}
static void reloc_code(uint8_t *f, size_t *size)
{
	(void)size;
	put64(f, sec_at(f, TILE_SEC_RELATIVE), 0x100);
}
static void bitmap_first(uint8_t *f, size_t *size)
{
	(void)size;
	put64(f, sec_at(f, TILE_SEC_RELATIVE), 3);
}
static void bind_import(uint8_t *f, size_t *size)
{
	(void)size;
	put32(f, sec_at(f, TILE_SEC_BINDS) + 24 + 8, 2); /* binds[1].import */
}
static void hostile_section(uint8_t *f, size_t *size)
{
	(void)size;
	put64(f, 88 + 16, ~0ull - 7); /* sections[0].size */
}
static void hostile_image(uint8_t *f, size_t *size)
{
	(void)size;
	put64(f, 40, 1ull << 50); /* header.image_size */
}
static void entry_data(uint8_t *f, size_t *size)
{
	(void)size;
	put64(f, 32, 0x3000); /* header.entry */
}
static void unterminated(uint8_t *f, size_t *size)
{
	uint64_t pool = sec_at(f, TILE_SEC_POOL);
	uint32_t n;

	(void)size;
	memcpy(&n, f + 16, 4);
	for (uint32_t i = 0; i < n; i++) { /* the pool's size: its last byte */
		struct tile_section s;
		memcpy(&s, f + 88 + 24 * i, sizeof s);
		if (s.type == TILE_SEC_POOL)
			f[pool + s.size - 1] = 'x';
	}
}
static void memory_size(uint8_t *f, size_t *size)
{
	(void)size;
	put64(f, sec_at(f, TILE_SEC_CAPS) + 24 + 8, 3 << 20); /* caps[1].size */
}
static void versions(uint8_t *f, size_t *size)
{
	(void)size;
	put32(f, sec_at(f, TILE_SEC_LIBRARIES) + 4, 3); /* min 3.0 > max 2.0 */
}

static uint32_t get32(const uint8_t *f, uint64_t at)
{
	uint32_t v;

	memcpy(&v, f + at, 4);
	return v;
}
static void not_typed(uint8_t *f, size_t *size)
{
	(void)size;
	f[sec_at(f, TILE_SEC_POOL) + get32(f, sec_at(f, TILE_SEC_TYPES) + 8)] = 'X';
}
static void schema_not_record(uint8_t *f, size_t *size)
{
	(void)size;
	put32(f, sec_at(f, TILE_SEC_ARGS), 1); /* args[0].type: u64 */
}
static void schema_flags(uint8_t *f, size_t *size)
{
	(void)size;
	put32(f, sec_at(f, TILE_SEC_CONFIG) + 8, 1);
}

HTEST(tile_refusals_name_the_file_and_the_field)
{
	/* a page of header and records, then code (2 pages), read-only data
	 * and data (a page each) */
	REFUSE(truncate_one, ERR_CORRUPT,
	       "header.file_size is 20480, the file has 20479 bytes (truncated?)");
	REFUSE(tiny, ERR_CORRUPT, "10 bytes: too small for a tile header (88)");
	REFUSE(magic, ERR_CORRUPT, "header.magic: not a tile");
	REFUSE(arch, ERR_UNSUPPORTED, "header.arch is 2, this machine is 1");
	REFUSE(overlap, ERR_CORRUPT,
	       "segments[1].addr 0x1000: not page-aligned or overlaps the segment before (ends "
	       "0x2000)");
	REFUSE(wx, ERR_CORRUPT, "segments[2].prot: writable and executable");
	REFUSE(seg_past_file, ERR_CORRUPT,
	       "segments[2].file_offset 0x10000000000+filesz 0x500: not page-aligned or outside "
	       "the file");
	REFUSE(reloc_out, ERR_CORRUPT,
	       "relative[0]: word at 0x4000 is not an aligned word inside a segment's file bytes");
	REFUSE(reloc_code, ERR_CORRUPT, "relative[0]: word at 0x100 is in an executable segment");
	REFUSE(bitmap_first, ERR_CORRUPT, "relative[0]: a bitmap before any offset");
	REFUSE(bind_import, ERR_CORRUPT, "binds[1].import 2: there are 2 imports");
	REFUSE(hostile_section, ERR_CORRUPT,
	       "sections[0] (segments): bytes 0x160+0xfffffffffffffff8 not 8-aligned inside the "
	       "file "
	       "after the table");
	REFUSE(hostile_image, ERR_CORRUPT,
	       "header.image_size 0x4000000000000: not a multiple of 4 KiB in (0, 1 TiB]");
	REFUSE(entry_data, ERR_CORRUPT, "header.entry 0x3000 is not in an executable segment");
	REFUSE(memory_size, ERR_CORRUPT,
	       "caps[1].size 0x300000: not a power of two in [4 KiB, 1 TiB]");
	REFUSE(versions, ERR_CORRUPT, "libraries[0]: version range [3.0, 2.0) is empty");
	REFUSE(not_typed, ERR_CORRUPT,
	       "types[0].blob: not a typed descriptor (\"TYD\", version 1)");
	REFUSE(schema_not_record, ERR_CORRUPT, "args[0].type 1: not a record's descriptor");
	REFUSE(schema_flags, ERR_CORRUPT, "config[0].flags 0x1: unknown bits");
	char why[256];
	HT_EXPECT_EQ(refused(unterminated, why), ERR_CORRUPT);
	HT_EXPECT(strstr(why, "is not NUL-terminated") != NULL);
	HT_EXPECT_EQ(refused(NULL, why), ERR_OK);
}

/* lib/tile/types.c's check of the sample changed by change(f): its
 * message (ERR_OK: none). */
static enum err types_refused(void (*change)(uint8_t *), char *why)
{
	size_t size;
	uint8_t *f = sample_file(&size);
	struct tile t;
	static uint8_t mem[TILE_TYPES_SCRATCH];

	change(f);
	why[0] = 0;
	enum err e = tile_check(f, size, "t.tile", TILE_ARCH_X86_64, &t, why, 256);
	if (!e)
		e = tile_types_check(&t, mem, sizeof mem, why, 256);
	free(f);
	return e;
}
static void hash(uint8_t *f)
{
	put64(f, sec_at(f, TILE_SEC_TYPES) + 24, 0x1234); /* types[1].hash */
}
static void kind(uint8_t *f)
{
	uint64_t pool = sec_at(f, TILE_SEC_POOL), ty = sec_at(f, TILE_SEC_TYPES) + 24;
	f[pool + get32(f, ty + 8) + 4] = 99; /* types[1]: the kind after "TYD" 1 */
}
static void data_as_func(uint8_t *f)
{
	uint16_t func = TILE_SYM_FUNC;
	memcpy(f + sec_at(f, TILE_SEC_IMPORTS) + 16 + 12, &func, 2); /* imports[1].kind */
}
static void text(uint8_t *f)
{
	uint64_t ty = sec_at(f, TILE_SEC_TYPES);
	put32(f, ty + 24 + 16, get32(f, ty + 16)); /* types[1].text: types[0]'s */
}

HTEST(tile_types_are_lib_typed_descriptors_checked_against_their_use)
{
	char why[256], want[256];

	snprintf(want, sizeof want,
	         "t.tile: types[1] (u64): hash 0000000000001234 is not its descriptor's "
	         "identity %016llx",
	         (unsigned long long)fnv1a(u64_desc, sizeof u64_desc));
	HT_EXPECT_EQ(types_refused(hash, why), ERR_CORRUPT);
	HT_EXPECT_STREQ(why, want);
	HT_EXPECT_EQ(types_refused(kind, why), ERR_CORRUPT);
	HT_EXPECT_STREQ(why, "t.tile: types[1] (u64): lib/typed refuses its descriptor: descriptor "
	                     "byte 5: unknown kind");
	HT_EXPECT_EQ(types_refused(data_as_func, why), ERR_CORRUPT);
	HT_EXPECT_STREQ(why, "t.tile: types[1] (u64): imports[1] is a function; its type is a "
	                     "value's");
	HT_EXPECT_EQ(types_refused(text, why), ERR_CORRUPT);
	HT_EXPECT_STREQ(why, "t.tile: types[1] (fn(u64, u64) -> u64): its text is not its "
	                     "descriptor's, u64");
}

HTEST(tile_type_text_is_the_manifests_syntax)
{
	static const char *const texts[] = {
	        "bool",         "u8",       "i16",  "u32",
	        "i64",          "[u8; 16]", "fn()", "fn(bool, [i32; 4]) -> u64",
	        "[[u16; 2]; 3]"};
	struct model m;
	char buf[TILE_TYPE_TEXT_MAX], why[160];
	uint32_t i;

	model_init(&m, TILE_KIND_LIBRARY, "x");
	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
		HT_ASSERT(model_type(&m, texts[k], &i, why, sizeof why) == 0);
		struct tile_type *ty = VEC_AT(&m.types, struct tile_type, i);
		HT_EXPECT_STREQ((const char *)m.pool.data + ty->text, texts[k]);
	}
	HT_ASSERT(model_type(&m, "fn( u64 ,u64)->   u64", &i, why, sizeof why) == 0);
	HT_EXPECT_STREQ((const char *)m.pool.data + VEC_AT(&m.types, struct tile_type, i)->text,
	                "fn(u64, u64) -> u64");
	HT_EXPECT(model_type(&m, "u65", &i, why, sizeof why) == -1);
	HT_EXPECT_STREQ(why, "'u65' is not bool, u8..u64, i8..i64, [T; N] or fn(...) -> T");
	HT_EXPECT(model_type(&m, "[u8; 0]", &i, why, sizeof why) == -1);
	HT_EXPECT_STREQ(why, "an array's length is 1..65536");
	HT_EXPECT(model_type(&m, "[fn() -> u8; 2]", &i, why, sizeof why) == -1);
	HT_EXPECT(model_type(&m, "u8 u8", &i, why, sizeof why) == -1);
	HT_EXPECT_STREQ(why, "'u8' after the type");
	const struct typed_type str = {.kind = TYPED_STRING, .str = {8}};
	HT_EXPECT_EQ(tile_type_format(&str, buf, sizeof buf), strlen(buf));
	HT_EXPECT_STREQ(buf, "{a string of at most 8 bytes}");
	model_free(&m);
}

/* ---- linking ---- */

/* A library name version with exports (name, kind, type), importing
 * import_fn from library `from` if not NULL. */
static uint8_t *library(const char *name, uint16_t major, const char *from, size_t *size)
{
	struct model m;
	static const struct {
		const char *name, *type;
		uint16_t kind;
		uint64_t value;
	} ex[] = {{"add", "fn(u64, u64) -> u64", TILE_SYM_FUNC, 0x10},
	          {"counter", "u64", TILE_SYM_DATA, 0x1000}};

	model_init(&m, TILE_KIND_LIBRARY, name);
	m.h.version_major = major;
	m.h.image_size = 0x2000;
	struct model_segment *s = vec_push(&m.segments, sizeof *s);
	s->s = (struct tile_segment){
	        .memsz = 0x1000, .prot = TILE_PROT_R | TILE_PROT_X, .align_bits = 12};
	s = vec_push(&m.segments, sizeof *s);
	s->s = (struct tile_segment){.addr = 0x1000,
	                             .memsz = 0x1000,
	                             .filesz = 8,
	                             .prot = TILE_PROT_R | TILE_PROT_W,
	                             .align_bits = 12};
	s->bytes = calloc(1, 8);
	for (size_t i = 0; i < 2; i++) {
		struct tile_export *e = vec_push(&m.exports, sizeof *e);
		*e = (struct tile_export){.name = model_str(&m, ex[1 - i].name),
		                          .type = type(&m, ex[1 - i].type),
		                          .kind = ex[1 - i].kind,
		                          .value = ex[1 - i].value};
	}
	if (from) {
		struct tile_library *l = vec_push(&m.libraries, sizeof *l);
		*l = (struct tile_library){.name = model_str(&m, from), .max_major = 9};
		struct tile_import *im = vec_push(&m.imports, sizeof *im);
		*im = (struct tile_import){.name = model_str(&m, "add"),
		                           .type = type(&m, "fn(u64, u64) -> u64"),
		                           .kind = TILE_SYM_FUNC};
		struct tile_bind *b = vec_push(&m.binds, sizeof *b);
		*b = (struct tile_bind){.offset = 0x1000};
	}
	uint8_t *f = model_write(&m, size);
	model_free(&m);
	return f;
}

struct set {
	struct tile t[4];
	unsigned n;
};

static const struct tile *find(void *ctx, const char *name)
{
	struct set *s = ctx;

	for (unsigned i = 0; i < s->n; i++)
		if (strcmp(tile_str(&s->t[i], s->t[i].h.name), name) == 0)
			return &s->t[i];
	return NULL;
}

HTEST(tile_imports_are_checked_by_name_version_kind_and_type)
{
	size_t ps, ls, l2s;
	uint8_t *p = sample_file(&ps), *l = library("demo", 1, NULL, &ls),
	        *l2 = library("demo", 2, NULL, &l2s);
	struct tile prog, lib, lib2;
	char why[256];
	uint64_t v;

	HT_ASSERT(tile_check(p, ps, "p.tile", TILE_ARCH_X86_64, &prog, why, sizeof why) == 0);
	HT_ASSERT(tile_check(l, ls, "demo.tile", TILE_ARCH_X86_64, &lib, why, sizeof why) == 0);
	HT_ASSERT(tile_check(l2, l2s, "demo2.tile", TILE_ARCH_X86_64, &lib2, why, sizeof why) == 0);
	HT_EXPECT_EQ(tile_export_find(&lib, "add"), 0);
	HT_EXPECT_EQ(tile_export_find(&lib, "counter"), 1);
	HT_EXPECT_EQ(tile_export_find(&lib, "nope"), -1);
	HT_EXPECT_EQ(tile_import_check(&prog, 0, &lib, &v, why, sizeof why), ERR_OK);
	HT_EXPECT_EQ(v, 0x10);
	HT_EXPECT_EQ(tile_import_check(&prog, 1, &lib, &v, why, sizeof why), ERR_OK);
	HT_EXPECT_EQ(v, 0x1000);
	HT_EXPECT_EQ(tile_import_check(&prog, 0, &lib2, &v, why, sizeof why), ERR_RANGE);
	HT_EXPECT_STREQ(why, "p.tile: imports[0] 'add': library demo is version 2.0, it needs "
	                     "[1.0, 2.0)");
	/* the program expects counter to be a function of another type */
	uint64_t at = sec_at(p, TILE_SEC_IMPORTS) + 16;
	uint16_t func = TILE_SYM_FUNC;
	memcpy(p + at + 12, &func, 2);
	HT_EXPECT_EQ(tile_import_check(&prog, 1, &lib, &v, why, sizeof why), ERR_TYPE);
	HT_EXPECT_STREQ(why, "p.tile: imports[1] 'counter' expects function u64, library demo "
	                     "exports data u64");
	put32(p, at + 8, 0); /* now of add's type: still a mismatch, both types named */
	HT_EXPECT_EQ(tile_import_check(&prog, 1, &lib, &v, why, sizeof why), ERR_TYPE);
	HT_EXPECT_STREQ(why, "p.tile: imports[1] 'counter' expects function fn(u64, u64) -> u64, "
	                     "library demo exports data u64");
	free(p);
	free(l);
	free(l2);
}

HTEST(tile_link_order_finds_cycles_and_missing_libraries)
{
	size_t ps, sa, sb, sc;
	uint8_t *p = sample_file(&ps);
	uint8_t *a = library("demo", 1, "base", &sa), *b = library("base", 1, NULL, &sb),
	        *c = library("base", 1, "demo", &sc);
	struct set s = {.n = 2};
	struct tile prog;
	const struct tile *order[4];
	unsigned n;
	char why[256];

	HT_ASSERT(tile_check(p, ps, "p.tile", TILE_ARCH_X86_64, &prog, why, sizeof why) == 0);
	HT_ASSERT(tile_check(a, sa, "demo.tile", TILE_ARCH_X86_64, &s.t[0], why, sizeof why) == 0);
	HT_ASSERT(tile_check(b, sb, "base.tile", TILE_ARCH_X86_64, &s.t[1], why, sizeof why) == 0);
	HT_EXPECT_EQ(tile_link_order(&prog, find, &s, order, 4, &n, why, sizeof why), ERR_OK);
	HT_ASSERT(n == 2);
	HT_EXPECT(order[0] == &s.t[1] && order[1] == &s.t[0]); /* base before demo */
	s.n = 1;
	HT_EXPECT_EQ(tile_link_order(&prog, find, &s, order, 4, &n, why, sizeof why), ERR_NOENT);
	HT_EXPECT_STREQ(why, "demo.tile: libraries[0]: no library 'base'");
	HT_ASSERT(tile_check(c, sc, "base2.tile", TILE_ARCH_X86_64, &s.t[1], why, sizeof why) == 0);
	s.n = 2;
	HT_EXPECT_EQ(tile_link_order(&prog, find, &s, order, 4, &n, why, sizeof why), ERR_CORRUPT);
	HT_EXPECT_STREQ(why, "p.tile: cyclic imports: demo -> base -> demo");
	HT_EXPECT_EQ(tile_link_order(&prog, find, &s, order, 1, &n, why, sizeof why), ERR_CORRUPT);
	free(p);
	free(a);
	free(b);
	free(c);
}

HTEST_MAIN("tile")
