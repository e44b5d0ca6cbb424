/* lib/typed: descriptors (canonical encoding, identity, decoding, checks)
 * and binary messages (layout, round trips text -> value -> message ->
 * value, hostile input).  Expected bytes are written by hand from the
 * layout in lib/typed/README.md; identities were computed with an
 * independent FNV-1a 64 (Python) over those bytes. */
#include <stdio.h>
#include <tessera/caps.h>

#include <typed/internal.h>

#include "../htest.h"
#include "util.h"

/* record { a: uint 0..1000, b: bool, c: string(8), d: int -100..100,
 *          e?: enum(x, y) } */
static const char *const xy[] = {"x", "y"};
static const struct typed_type ta = {.kind = TYPED_UINT, .u = {0, 1000}};
static const struct typed_type tb = {.kind = TYPED_BOOL};
static const struct typed_type tc = {.kind = TYPED_STRING, .str = {8}};
static const struct typed_type td = {.kind = TYPED_INT, .i = {-100, 100}};
static const struct typed_type tx = {.kind = TYPED_ENUM, .en = {xy, 2}};
static const struct typed_type te = {.kind = TYPED_OPTIONAL, .inner = &tx};
static const struct typed_value a_def = {.type = &ta, .u = 7};
static const struct typed_field small_fields[] = {
        {"a", "the a", &ta, &a_def}, {"b", "", &tb, NULL}, {"c", "", &tc, NULL},
        {"d", "", &td, NULL},        {"e", "", &te, NULL},
};
static const struct typed_type small = {.kind = TYPED_RECORD, .rec = {small_fields, 5}};

/* Its identity form, by hand from the layout. */
static const uint8_t small_id_form[] = {
        'T', 'Y', 'D', 1, 0x0b, 5,                              /* record of 5 */
        1,   'a', 0,   0, 0x03, 0x00, 0xe8, 0x07,               /* a: uint 0..1000 */
        1,   'b', 0,   0, 0x01,                                 /* b: bool */
        1,   'c', 0,   0, 0x06, 0x08,                           /* c: string(8) */
        1,   'd', 0,   0, 0x02, 0xc7, 0x01, 0xc8, 0x01,         /* d: int, zigzag */
        1,   'e', 0,   0, 0x0c, 0x08, 2,    1,    'x',  1, 'y', /* e?: enum(x, y) */
};
#define SMALL_ID 0xbc0501ce4ee5fb0aull

/* {a = 300, b = true, c = "hi", d = -3, e = y} as a message. */
static const uint8_t small_msg[] = {
        0x0a, 0xfb, 0xe5, 0x4e, 0xce, 0x01, 0x05, 0xbc, /* identity, little-endian */
        0xac, 0x02,                                     /* 300 */
        0x01,                                           /* true */
        0x02, 'h',  'i',                                /* "hi" */
        0x05,                                           /* zigzag(-3) */
        0x01, 0x01,                                     /* present, y */
};

static struct typed_value *small_value(void)
{
	const char *text = "a = 300, b = true, c = hi, d = -3, e = y";
	static unsigned char mem[4096];
	struct typed_arena a;
	struct typed_value *v;
	typed_arena_init(&a, mem, sizeof mem);
	reset_problems();
	return typed_text_load(&small, text, strlen(text), &a, &v, &diag) == ERR_OK ? v : NULL;
}

HTEST(descriptor_layout_and_identity)
{
	uint8_t buf[256];
	enum err e;
	size_t n = typed_desc_encode(&small, false, buf, sizeof buf, &e);
	HT_EXPECT_EQ(e, ERR_OK);
	HT_ASSERT(n == sizeof small_id_form);
	HT_EXPECT(memcmp(buf, small_id_form, n) == 0);
	HT_EXPECT_EQ(typed_desc_id(&small), SMALL_ID);
	struct typed_type b = {.kind = TYPED_BOOL};
	HT_EXPECT_EQ(typed_desc_id(&b), 0xb9d6f04a5765d004ull); /* FNV-1a of "TYD" 1 1 */
	/* the full form adds the docs and the default (flags 1, then the value) */
	n = typed_desc_encode(&small, true, buf, sizeof buf, &e);
	static const uint8_t field_a[] = {1,   'a', 5,    't',  'h',  'e',  ' ',
	                                  'a', 1,   0x03, 0x00, 0xe8, 0x07, 0x07};
	HT_EXPECT_EQ(n, sizeof small_id_form + 5 + 1);
	HT_EXPECT(memcmp(buf + 6, field_a, sizeof field_a) == 0);
	/* too small a buffer: the length it needs, NOSPC */
	HT_EXPECT_EQ(typed_desc_encode(&small, true, buf, 10, &e), n);
	HT_EXPECT_EQ(e, ERR_NOSPC);
}

HTEST(descriptor_round_trip)
{
	static const struct typed_type *const types[] = {&small, &demo_type};
	for (unsigned i = 0; i < 2; i++) {
		uint8_t buf[1024], again[1024];
		enum err e;
		struct typed_error err;
		const struct typed_type *t;
		size_t n = typed_desc_encode(types[i], true, buf, sizeof buf, &e);
		HT_ASSERT(e == ERR_OK);
		HT_ASSERT(typed_desc_decode(buf, n, fresh_arena(), &t, &err) == ERR_OK);
		HT_EXPECT_EQ(typed_desc_id(t), typed_desc_id(types[i]));
		HT_EXPECT_EQ(typed_desc_encode(t, true, again, sizeof again, &e), n);
		HT_EXPECT(memcmp(buf, again, n) == 0);
		HT_EXPECT_STREQ(t->rec.fields[0].name, types[i]->rec.fields[0].name);
		HT_EXPECT_STREQ(t->rec.fields[0].doc, types[i]->rec.fields[0].doc);
	}
}

/* Decoding a descriptor must fail with exactly want. */
static void expect_bad_desc(const uint8_t *buf, size_t len, const char *want)
{
	const struct typed_type *t = (void *)1;
	struct typed_error err;
	HT_EXPECT_EQ(typed_desc_decode(buf, len, fresh_arena(), &t, &err), ERR_CORRUPT);
	HT_EXPECT(t == NULL);
	HT_EXPECT_STREQ(err.msg, want);
}

HTEST(bad_descriptors)
{
	/* every cut-short prefix of a good one is refused */
	uint8_t buf[1024];
	enum err e;
	size_t n = typed_desc_encode(&demo_type, true, buf, sizeof buf, &e);
	for (size_t len = 0; len < n; len++) {
		const struct typed_type *t;
		struct typed_error err;
		HT_EXPECT(typed_desc_decode(buf, len, fresh_arena(), &t, &err) != ERR_OK);
	}
	expect_bad_desc((const uint8_t *)"TYD\x02\x01", 5,
	                "not a typed descriptor (\"TYD\", "
	                "version 1)");
	expect_bad_desc((const uint8_t *)"TYD\x01\x01\x00", 6,
	                "descriptor byte 5: bytes after the descriptor");
	expect_bad_desc((const uint8_t *)"TYD\x01\x0e", 5, "descriptor byte 5: unknown kind");
	expect_bad_desc((const uint8_t *)"TYD\x01\x0c\x01", 6,
	                "optional is only a record field's type");
	expect_bad_desc((const uint8_t *)"TYD\x01\x03\x05\x04", 7, "range: min is above max");
	expect_bad_desc((const uint8_t *)"TYD\x01\x06\x80\x00", 7,
	                "descriptor byte 5: cut short, or a varint that is not minimal");
	expect_bad_desc((const uint8_t *)"TYD\x01\x06\x00", 6,
	                "maximum length 0 is not in 1..1048576");
	expect_bad_desc((const uint8_t *)"TYD\x01\x08\x02\x01x\x01x", 10,
	                "enum name \"x\" given twice");
	expect_bad_desc((const uint8_t *)"TYD\x01\x0b\x02\x01x\x00\x00\x01\x01x\x00\x00\x01", 16,
	                "field \"x\" given twice");
	expect_bad_desc((const uint8_t *)"TYD\x01\x0b\x01\x01X\x00\x00\x01", 11,
	                "field 0's name is not [a-z][a-z0-9_]* of at most 31 bytes");
	expect_bad_desc((const uint8_t *)"TYD\x01\x0b\x01\x01x\x00\x02\x01", 11,
	                "descriptor byte 10: unknown field flags");
	/* a default out of its field's range: 9 for uint 0..5 */
	expect_bad_desc((const uint8_t *)"TYD\x01\x0b\x01\x01x\x00\x01\x03\x00\x05\x09", 14,
	                "9 is out of range 0..5 (byte 13)");
	/* a NUL in a doc once decoded to a shorter doc, so the descriptor did
	 * not encode back to its bytes (found by fuzzing) */
	expect_bad_desc((const uint8_t *)"TYD\x01\x0b\x01\x01x\x03"
	                                 "a\0b\x00\x01",
	                14, "descriptor byte 9: a NUL byte in a name or documentation");
	expect_bad_desc((const uint8_t *)"TYD\x01\x09\x11\x00", 7,
	                "capability type 17 is not a CAP_* type");
	expect_bad_desc((const uint8_t *)"TYD\x01\x0a\x00\x01", 7,
	                "list of at most 0 items: not in 1..65536");
	/* nesting: 17 lists deep */
	uint8_t deep[64] = {'T', 'Y', 'D', 1};
	size_t k = 4;
	for (int i = 0; i < 17; i++) {
		deep[k++] = 0x0a;
		deep[k++] = 1;
	}
	deep[k++] = 0x01;
	expect_bad_desc(deep, k, "descriptor byte 38: types nested too deep");
}

HTEST(checked_descriptors)
{
	struct typed_error err;
	HT_EXPECT_EQ(typed_desc_check(&demo_type, &err), ERR_OK);
	HT_EXPECT_EQ(typed_desc_check(&small, &err), ERR_OK);
	struct typed_type opt = {.kind = TYPED_OPTIONAL, .inner = &tb};
	struct typed_field f[] = {{"a", "", &ta, NULL}};
	struct typed_type rec = {.kind = TYPED_RECORD, .rec = {f, 1}};
	struct typed_value def = {.type = &tb, .b = true};
	f[0].def = &def;
	HT_EXPECT_EQ(typed_desc_check(&rec, &err), ERR_CORRUPT);
	HT_EXPECT_STREQ(err.path, "a");
	HT_EXPECT_STREQ(err.msg, "default: not of the field's type");
	f[0] = (struct typed_field){"a", "", &opt, &def};
	HT_EXPECT_EQ(typed_desc_check(&rec, &err), ERR_CORRUPT);
	HT_EXPECT_STREQ(err.msg, "an optional field has no default");
	f[0] = (struct typed_field){"a", "two\nlines", &ta, NULL};
	HT_EXPECT_EQ(typed_desc_check(&rec, &err), ERR_CORRUPT);
	HT_EXPECT_STREQ(err.msg, "documentation: one line of at most 255 bytes");
	struct typed_type cap = {.kind = TYPED_CAP, .cap = {CAP_LOG, 0}};
	struct typed_value capdef = {.type = &cap, .cap = {"log", 3}};
	f[0] = (struct typed_field){"a", "", &cap, &capdef};
	HT_EXPECT_EQ(typed_desc_check(&rec, &err), ERR_CORRUPT);
	HT_EXPECT_STREQ(err.msg, "default: a default cannot name a capability");
	struct typed_type list = {.kind = TYPED_LIST, .list = {&opt, 2}};
	HT_EXPECT_EQ(typed_desc_check(&list, &err), ERR_CORRUPT);
	HT_EXPECT_STREQ(err.msg, "a list's items cannot be optional");
}

/* fn(u64, u64) -> u64, as a tile's export types it (tools/tile/types.c). */
static const struct typed_type tu64 = {.kind = TYPED_UINT, .u = {0, UINT64_MAX}};
static const struct typed_type *const two_u64[] = {&tu64, &tu64};
static const struct typed_type add_fn = {.kind = TYPED_FUNC,
                                         .fn = {.params = two_u64, .count = 2, .result = &tu64}};
#define U64_BYTES 0x03, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01

HTEST(function_descriptors)
{
	static const uint8_t want[] = {'T', 'Y',       'D',       1, 0x0d,
	                               2,   U64_BYTES, U64_BYTES, 1, U64_BYTES};
	uint8_t buf[128];
	char what[160];
	enum err e;
	struct typed_error err;
	const struct typed_type *t;
	size_t n = typed_desc_encode(&add_fn, true, buf, sizeof buf, &e);
	HT_ASSERT(e == ERR_OK && n == sizeof want);
	HT_EXPECT(memcmp(buf, want, n) == 0);
	HT_EXPECT_EQ(typed_desc_id(&add_fn), 0xc416942398da5feeull);
	HT_ASSERT(typed_desc_decode(buf, n, fresh_arena(), &t, &err) == ERR_OK);
	HT_EXPECT_EQ(t->kind, TYPED_FUNC);
	HT_EXPECT_EQ(t->fn.count, 2);
	HT_EXPECT_EQ(typed_desc_id(t), 0xc416942398da5feeull);
	typed_describe(t, what, sizeof what);
	HT_EXPECT_STREQ(what, "a function (an integer, an integer) -> an integer");
	/* fn() with no result */
	struct typed_type none = {.kind = TYPED_FUNC};
	HT_EXPECT_EQ(typed_desc_id(&none), 0xd40eea32abe9eca0ull);
	typed_describe(&none, what, sizeof what);
	HT_EXPECT_STREQ(what, "a function ()");
	/* only a root; parameters are values' types; a flag of 0 or 1 */
	expect_bad_desc((const uint8_t *)"TYD\x01\x0a\x02\x0d\x00\x00", 9,
	                "a function is only a descriptor's root");
	expect_bad_desc((const uint8_t *)"TYD\x01\x0d\x01\x0c\x01\x00", 9,
	                "a function's parameter or result cannot be optional");
	expect_bad_desc((const uint8_t *)"TYD\x01\x0d\x00\x02", 7,
	                "descriptor byte 7: a function's result flag is not 0 or 1");
	expect_bad_desc((const uint8_t *)"TYD\x01\x0d\x00", 6, "descriptor byte 6: cut short");
	/* it has no values: no message decodes as one, no text checks as one */
	static const uint8_t msg[] = {0xee, 0x5f, 0xda, 0x98, 0x23, 0x94, 0x16, 0xc4, 0x00};
	struct typed_value *v;
	HT_EXPECT_EQ(typed_decode(&add_fn, msg, sizeof msg, fresh_arena(), &v, &err), ERR_CORRUPT);
	HT_EXPECT_STREQ(err.msg, "a function has no value (byte 8)");
	reset_problems();
	HT_EXPECT_EQ(typed_text_load(&add_fn, "a = 1", 5, fresh_arena(), &v, &diag), ERR_CORRUPT);
}

HTEST(message_layout)
{
	struct typed_value *v = small_value();
	HT_ASSERT(v != NULL);
	uint8_t buf[64];
	enum err e;
	struct typed_error err;
	size_t n = typed_encode(v, buf, sizeof buf, &e, &err);
	HT_EXPECT_EQ(e, ERR_OK);
	HT_ASSERT(n == sizeof small_msg);
	HT_EXPECT(memcmp(buf, small_msg, n) == 0);
	struct typed_value *w;
	HT_ASSERT(typed_decode(&small, buf, n, fresh_arena(), &w, &err) == ERR_OK);
	HT_EXPECT(typed_equal(v, w));
	HT_EXPECT_EQ(w->list.items[0].u, 300);
	HT_EXPECT_EQ(w->list.items[3].i, -3);
	HT_EXPECT_STREQ(w->list.items[2].str.s, "hi");
	/* too small: the length it needs, NOSPC */
	HT_EXPECT_EQ(typed_encode(v, buf, 5, &e, &err), sizeof small_msg);
	HT_EXPECT_EQ(e, ERR_NOSPC);
}

/* The demo round trip: text -> value -> message -> value -> text. */
HTEST(round_trip_text_binary_text)
{
	const char *text = "cores = 3\nmemory = 2M\nquiet = true\nmode = small\n"
	                   "timeout = 1500ms\nname = \"x\\ty\"\nroot = /a/b\nlog = log\n"
	                   "files = [/c, /d]\nfb = { width = 640, height = 480 }\nlevel = -2\n"
	                   "tags = [p, q, r]\n";
	struct typed_value *v = load(text);
	HT_ASSERT(v != NULL);
	uint8_t buf[512];
	enum err e;
	struct typed_error err;
	typed_encode(v, buf, sizeof buf, &e, &err);
	HT_EXPECT_EQ(e, ERR_INVAL); /* the capability has no slot yet */
	HT_EXPECT_STREQ(err.msg, "capability log is not resolved to a slot");
	v->list.items[DEMO_LOG].cap.slot = 5;
	size_t n = typed_encode(v, buf, sizeof buf, &e, &err);
	HT_ASSERT(e == ERR_OK);
	static unsigned char mem[1 << 16];
	struct typed_arena a;
	struct typed_value *w;
	typed_arena_init(&a, mem, sizeof mem);
	HT_ASSERT(typed_decode(&demo_type, buf, n, &a, &w, &err) == ERR_OK);
	HT_EXPECT(typed_equal(v, w));
	HT_EXPECT_EQ(w->list.items[DEMO_LOG].cap.slot, 5);
	HT_EXPECT(w->list.items[DEMO_LOG].cap.name == NULL);
	char out[512];
	typed_print(w, out, sizeof out);
	HT_EXPECT_STREQ(out, "cores = 3\nmemory = 2M\nquiet = true\nmode = small\n"
	                     "timeout = 1500ms\nname = \"x\\ty\"\nroot = /a/b\nlog = 5\n"
	                     "files = [/c, /d]\nfb = { width = 640, height = 480 }\nlevel = -2\n"
	                     "tags = [p, q, r]\n");
	/* absent optionals travel as absent */
	v = load("cores = 1\nlog = l\n");
	HT_ASSERT(v != NULL);
	v->list.items[DEMO_LOG].cap.slot = 0;
	n = typed_encode(v, buf, sizeof buf, &e, &err);
	HT_ASSERT(typed_decode(&demo_type, buf, n, &a, &w, &err) == ERR_OK);
	HT_EXPECT(w->list.items[DEMO_TIMEOUT].some == NULL);
	HT_EXPECT(typed_equal(v, w));
}

/* Decoding the small type's message with one change must fail with want. */
static void expect_bad_msg(const uint8_t *msg, size_t len, const char *path, const char *want)
{
	struct typed_value *v = (void *)1;
	struct typed_error err;
	HT_EXPECT_EQ(typed_decode(&small, msg, len, fresh_arena(), &v, &err), ERR_CORRUPT);
	HT_EXPECT(v == NULL);
	HT_EXPECT_STREQ(err.path, path);
	HT_EXPECT_STREQ(err.msg, want);
}

static void patch(uint8_t *out, size_t at, const uint8_t *bytes, size_t n, size_t *len)
{
	memcpy(out, small_msg, sizeof small_msg);
	memcpy(out + at, bytes, n);
	*len = sizeof small_msg;
}

HTEST(hostile_messages)
{
	uint8_t m[64];
	size_t len;
	for (size_t cut = 0; cut < sizeof small_msg; cut++) {
		struct typed_value *v;
		struct typed_error err;
		HT_EXPECT_EQ(typed_decode(&small, small_msg, cut, fresh_arena(), &v, &err),
		             ERR_CORRUPT);
	}
	expect_bad_msg(small_msg, 7, "", "a message of 7 bytes has no type identity (byte 0)");
	patch(m, 0, (const uint8_t *)"\x0b", 1, &len);
	expect_bad_msg(m, len, "", "a message of type bc0501ce4ee5fb0b, not bc0501ce4ee5fb0a");
	patch(m, 8, (const uint8_t *)"\xe9\x07", 2, &len); /* 1001 */
	expect_bad_msg(m, len, "a", "1001 is out of range 0..1000 (byte 8)");
	patch(m, 8, (const uint8_t *)"\xac\x82", 2, &len); /* runs on into b's byte */
	expect_bad_msg(m, len, "a", "16684 is out of range 0..1000 (byte 8)");
	patch(m, 10, (const uint8_t *)"\x02", 1, &len);
	expect_bad_msg(m, len, "b", "bool byte 2 is neither 0 nor 1 (byte 10)");
	patch(m, 11, (const uint8_t *)"\x09", 1, &len);
	expect_bad_msg(m, len, "c", "a string of 9 bytes is longer than 8 (byte 11)");
	patch(m, 11, (const uint8_t *)"\x07", 1, &len);
	expect_bad_msg(m, len, "c", "cut short (byte 11)");
	patch(m, 14, (const uint8_t *)"\xc9\x01", 2, &len); /* zigzag 201 = -101 */
	memcpy(m + 16, "\x01\x01", 2);
	len = sizeof small_msg + 1;
	expect_bad_msg(m, len, "d", "-101 is out of range -100..100 (byte 14)");
	patch(m, 15, (const uint8_t *)"\x02", 1, &len);
	expect_bad_msg(m, len, "e", "optional byte 2 is neither 0 nor 1 (byte 15)");
	patch(m, 16, (const uint8_t *)"\x02", 1, &len);
	expect_bad_msg(m, len, "e", "enum value 2 is not below 2 (byte 16)");
	patch(m, 8, (const uint8_t *)"\x80\x00", 2, &len); /* 0 written in two bytes */
	expect_bad_msg(m, len, "a", "cut short, or a varint that is not minimal (byte 8)");
	memcpy(m, small_msg, sizeof small_msg);
	m[sizeof small_msg] = 0;
	expect_bad_msg(m, sizeof small_msg + 1, "", "1 bytes after the value (byte 17)");
	/* every single-byte change is either refused or decodes to a valid value */
	for (size_t at = 8; at < sizeof small_msg; at++)
		for (unsigned x = 0; x < 256; x++) {
			struct typed_value *v;
			struct typed_error err;
			memcpy(m, small_msg, sizeof small_msg);
			m[at] = (uint8_t)x;
			if (typed_decode(&small, m, sizeof small_msg, fresh_arena(), &v, &err) ==
			    ERR_OK)
				HT_EXPECT(typed_value_valid(v, &err));
		}
}

HTEST(hostile_lists)
{
	/* files: a list of at most 4 paths; a count beyond the bytes left */
	struct typed_value *v = load("cores = 1\nlog = l\nfiles = [/a]\n");
	HT_ASSERT(v != NULL);
	v->list.items[DEMO_LOG].cap.slot = 1;
	uint8_t buf[256];
	enum err e;
	size_t n = typed_encode(v, buf, sizeof buf, &e, NULL);
	HT_ASSERT(e == ERR_OK);
	/* find the list's count: 1, then 2 "/a" */
	uint8_t *at = memmem(buf, n, "\x01\x02/a", 4);
	HT_ASSERT(at != NULL);
	struct typed_value *w;
	struct typed_error err;
	char want[96];
	size_t k = (size_t)(at - buf);
	*at = 5;
	HT_EXPECT_EQ(typed_decode(&demo_type, buf, n, fresh_arena(), &w, &err), ERR_CORRUPT);
	HT_EXPECT_STREQ(err.path, "files");
	snprintf(want, sizeof want, "5 items; at most 4 are allowed (byte %zu)", k);
	HT_EXPECT_STREQ(err.msg, want);
	*at = 4; /* four items: the second is made of what follows */
	HT_EXPECT_EQ(typed_decode(&demo_type, buf, n, fresh_arena(), &w, &err), ERR_CORRUPT);
	HT_EXPECT_STREQ(err.path, "files[1]");
	*at = 1;
	memcpy(at + 1,
	       "\x02"
	       "aa",
	       3); /* not absolute */
	HT_EXPECT_EQ(typed_decode(&demo_type, buf, n, fresh_arena(), &w, &err), ERR_CORRUPT);
	HT_EXPECT_STREQ(err.path, "files[0]");
	snprintf(want, sizeof want,
	         "\"aa\" is not an absolute path (it must start with /) (byte %zu)", k + 1);
	HT_EXPECT_STREQ(err.msg, want);
	memcpy(at + 1, "\x02/\0", 3); /* a NUL inside a string */
	HT_EXPECT_EQ(typed_decode(&demo_type, buf, n, fresh_arena(), &w, &err), ERR_CORRUPT);
	snprintf(want, sizeof want,
	         "a string of 2 bytes: more than 64, or with a NUL byte (byte %zu)", k + 1);
	HT_EXPECT_STREQ(err.msg, want);
	memcpy(at + 1, "\x02/a", 3);
	HT_EXPECT_EQ(typed_decode(&demo_type, buf, n, fresh_arena(), &w, &err), ERR_OK);
	/* an arena too small for what the message holds */
	unsigned char mem[256];
	struct typed_arena a;
	typed_arena_init(&a, mem, sizeof mem);
	HT_EXPECT_EQ(typed_decode(&demo_type, buf, n, &a, &w, &err), ERR_NOMEM);
}

HTEST(invalid_values_are_not_encoded)
{
	struct typed_value *v = small_value();
	HT_ASSERT(v != NULL);
	uint8_t buf[64];
	enum err e;
	struct typed_error err;
	v->list.items[0].u = 1001;
	typed_encode(v, buf, sizeof buf, &e, &err);
	HT_EXPECT_EQ(e, ERR_INVAL);
	HT_EXPECT_STREQ(err.path, "a");
	HT_EXPECT_STREQ(err.msg, "1001 is out of range 0..1000");
	v->list.items[0].u = 1;
	v->list.count = 4;
	typed_encode(v, buf, sizeof buf, &e, &err);
	HT_EXPECT_EQ(e, ERR_INVAL);
	HT_EXPECT_STREQ(err.msg, "4 fields; the type has 5");
}

HTEST_MAIN("typed_bin")
