/* Typed values: one implementation of types, values, the configuration text
 * syntax, command lines and the binary message encoding, for host tools and
 * programs alike (freestanding, no allocation: the caller gives an arena).
 *
 * A type descriptor (struct typed_type) describes a value: bool, integers
 * with ranges, sizes, durations, strings, paths, enums, capability
 * references, lists, records (named fields with defaults and documentation)
 * and optional fields.  Descriptors have a canonical binary encoding and an
 * identity (desc.c, lib/typed/README.md); a value tree (struct typed_value)
 * is always checked against one.  Values come from
 *   - configuration text: typed_text_parse, then typed_check;
 *   - a command line: typed_cmdline_parse;
 *   - a message: typed_decode (typed_encode writes one).
 * Errors name where (file:line:column), the field, the value and the rule:
 *   startup.conf:4:12: programs[1].core: 99 is out of range 0..63
 *   --cores: 99 is out of range 1..64
 */
#ifndef LIB_TYPED_H
#define LIB_TYPED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

/* ---- Types ---- */

/* Kinds: append-only, they are part of the descriptor encoding. */
enum typed_kind {
	TYPED_BOOL = 1,
	TYPED_INT = 2,       /* signed, min..max */
	TYPED_UINT = 3,      /* unsigned, min..max */
	TYPED_SIZE = 4,      /* bytes, min..max; text 64M (K M G T: powers of 1024) */
	TYPED_DURATION = 5,  /* nanoseconds, min..max; text 300ms (ns us ms s min h) */
	TYPED_STRING = 6,    /* at most max_len bytes, no NUL */
	TYPED_PATH = 7,      /* an absolute path: /a/b, no empty, "." or ".." parts */
	TYPED_ENUM = 8,      /* one of count names; the value is the index */
	TYPED_CAP = 9,       /* a capability reference: a name, resolved to a slot */
	TYPED_LIST = 10,     /* at most max_count values of one type */
	TYPED_RECORD = 11,   /* named fields in order */
	TYPED_OPTIONAL = 12, /* only as a record field's type: may be absent */
	TYPED_FUNC = 13      /* a function's signature (a tile's imports and exports): only
	                      * a descriptor's root; it has no values */
};

#define TYPED_MAX_DEPTH  16  /* nesting of types, texts and values */
#define TYPED_NAME_MAX   32  /* field, enum and capability names: < this many bytes */
#define TYPED_DOC_MAX    256 /* documentation strings: < this many bytes */
#define TYPED_MAX_FIELDS 64  /* fields of a record */
#define TYPED_MAX_NAMES  256 /* names of an enum */
#define TYPED_MAX_COUNT  65536u
#define TYPED_MAX_LEN    (1u << 20) /* the largest max_len of a string or path */
#define TYPED_CAP_ANY    0          /* cap.cap_type: any type (else a CAP_* value) */
#define TYPED_SLOT_NONE  0xffffffffu

struct typed_value;

struct typed_field {
	const char *name;              /* [a-z][a-z0-9_]*, < TYPED_NAME_MAX bytes */
	const char *doc;               /* one line, or "" */
	const struct typed_type *type; /* TYPED_OPTIONAL: the field may be absent */
	const struct typed_value *def; /* its default, or NULL: required (unless optional) */
};

struct typed_type {
	uint8_t kind;     /* enum typed_kind */
	const char *name; /* a schema's name for it (C code), or NULL; not encoded */
	union {
		struct {
			int64_t min, max;
		} i; /* INT */
		struct {
			uint64_t min, max;
		} u; /* UINT, SIZE, DURATION */
		struct {
			uint32_t max_len;
		} str; /* STRING, PATH */
		struct {
			const char *const *names;
			uint32_t count;
		} en; /* ENUM */
		struct {
			uint8_t cap_type; /* TYPED_CAP_ANY or a CAP_* type */
			uint8_t rights;   /* CAP_RIGHT_* the cap must have */
		} cap;
		struct {
			const struct typed_type *elem;
			uint32_t max_count;
		} list; /* LIST */
		struct {
			const struct typed_field *fields;
			uint32_t count;
		} rec;                          /* RECORD */
		const struct typed_type *inner; /* OPTIONAL */
		struct {
			const struct typed_type *const *params;
			uint32_t count;                  /* at most TYPED_MAX_FIELDS */
			const struct typed_type *result; /* NULL: none */
		} fn;                                    /* FUNC */
	};
};

/* ---- Values ---- */

struct typed_value {
	const struct typed_type *type;
	uint32_t line, col; /* where it was written (text), or 0 */
	union {
		bool b;     /* BOOL */
		int64_t i;  /* INT */
		uint64_t u; /* UINT, SIZE (bytes), DURATION (ns), ENUM (index) */
		struct {
			const char *s; /* NUL-terminated */
			uint32_t len;
		} str; /* STRING, PATH */
		struct {
			const char *name; /* as written (text), or NULL (decoded) */
			uint32_t slot;    /* TYPED_SLOT_NONE until resolved */
		} cap;
		struct {
			struct typed_value *items;
			uint32_t count;
		} list;                   /* LIST; RECORD: one per field, in order */
		struct typed_value *some; /* OPTIONAL: the value, or NULL if absent */
	};
};

/* A capability reference as generated structs hold it (tools/typedc). */
struct typed_capref {
	const char *name; /* as written in a text, or NULL (from a message) */
	uint32_t slot;    /* in the holder's capability space, or TYPED_SLOT_NONE */
};

/* The value of field name of a record value, or NULL (no such field).  An
 * optional field's value is the OPTIONAL value (check ->some). */
const struct typed_value *typed_get(const struct typed_value *rec, const char *name);

/* Whether a and b are the same value (types compared by identity). */
bool typed_equal(const struct typed_value *a, const struct typed_value *b);

/* ---- Arenas: all memory the library uses ---- */

struct typed_arena {
	uint8_t *mem;
	size_t size, used;
};

void typed_arena_init(struct typed_arena *a, void *mem, size_t size);
/* n bytes aligned to 8, zeroed, or NULL when the arena is full. */
void *typed_arena_alloc(struct typed_arena *a, size_t n);

/* ---- Errors ---- */

#define TYPED_PATH_MAX 96
#define TYPED_MSG_MAX  256

/* One problem: where (line 0: no position), which field ("programs[1].core",
 * "--cores", or ""), and what: the value and the rule it breaks. */
struct typed_error {
	uint32_t line, col;
	char path[TYPED_PATH_MAX];
	char msg[TYPED_MSG_MAX];
};

/* Checks report every problem they find through fn, then go on. */
struct typed_diag {
	void (*fn)(void *ctx, const struct typed_error *e);
	void *ctx;
	unsigned count; /* problems reported so far */
};

/* "file:line:col: path: msg" (parts left out when empty: file NULL, line
 * 0, path "") into buf; returns the length it has (snprintf-like).  Control
 * characters are escaped, so a message is always one line. */
size_t typed_error_format(const struct typed_error *e, const char *file, char *buf, size_t size);

/* The name of a capability type (TYPED_CAP_ANY: "any", else CAP_*:
 * "endpoint") or of a right bit (0: "read"), or NULL. */
const char *typed_cap_type_name(unsigned type);
const char *typed_right_name(unsigned bit);

/* What t accepts, for messages: "an integer 1..64", "one of: uefi, bios". */
size_t typed_describe(const struct typed_type *t, char *buf, size_t size);

/* ---- Descriptors (desc.c; byte layout in lib/typed/README.md) ---- */

#define TYPED_DESC_MAGIC   "TYD"
#define TYPED_DESC_VERSION 1
#define TYPED_ID_BYTES     8

/* Whether t is a well-formed descriptor (names, bounds, defaults, depth);
 * the first problem in err otherwise (ERR_CORRUPT). */
enum err typed_desc_check(const struct typed_type *t, struct typed_error *err);

/* The canonical encoding of t: "TYD" 1, then the type.  Returns the length
 * it has; ERR_NOSPC in *e (if e) when it is more than size.  With docs
 * false, documentation and defaults are left out: the identity form. */
size_t typed_desc_encode(const struct typed_type *t, bool docs, uint8_t *buf, size_t size,
                         enum err *e);

/* The identity of t: FNV-1a 64 of its identity form. */
uint64_t typed_desc_id(const struct typed_type *t);

/* Rebuilds a descriptor from its canonical encoding in arena a (names and
 * docs point into a too); checks every bound, never reads past len. */
enum err typed_desc_decode(const uint8_t *buf, size_t len, struct typed_arena *a,
                           const struct typed_type **t, struct typed_error *err);

/* ---- Configuration text (text.c, check.c; grammar in README.md) ---- */

enum typed_node_kind {
	TYPED_NODE_REPORTED = 0, /* a value whose problem is already reported: skipped */
	TYPED_NODE_ATOM = 1,     /* unquoted: 42, 64M, uefi, /boot/x, true */
	TYPED_NODE_STRING,       /* quoted: "a b" */
	TYPED_NODE_LIST,         /* [a, b] */
	TYPED_NODE_RECORD        /* { key = value ... }; a whole file is one */
};

/* A parsed text, before it is checked against a type. */
struct typed_node {
	uint8_t kind;
	uint32_t line, col;
	const char *key; /* record member: its name (NUL-terminated), else NULL */
	uint32_t key_line, key_col;
	const char *text; /* ATOM, STRING: the (decoded, NUL-terminated) text */
	uint32_t len;
	uint32_t count;           /* LIST, RECORD: children */
	struct typed_node *child; /* LIST, RECORD: first child */
	struct typed_node *next;
};

/* Parses a whole text as the members of one record (a configuration file).
 * A syntax error stops it: ERR_CORRUPT with err at its position; NOMEM
 * when the arena is full. */
enum err typed_text_parse(const char *text, size_t len, struct typed_arena *a,
                          struct typed_node **root, struct typed_error *err);

/* Parses text holding exactly one value (a default in a schema). */
enum err typed_text_parse_value(const char *text, size_t len, struct typed_arena *a,
                                struct typed_node **out, struct typed_error *err);

/* Checks a parsed text against t and builds its value in a: defaults fill
 * absent fields; every problem is reported through d.  ERR_OK, or
 * ERR_CORRUPT (problems), ERR_NOMEM (arena full; reported too). */
enum err typed_check(const struct typed_type *t, const struct typed_node *n, struct typed_arena *a,
                     struct typed_value **out, struct typed_diag *d);

/* typed_text_parse then typed_check; the syntax error reported through d. */
enum err typed_text_load(const struct typed_type *t, const char *text, size_t len,
                         struct typed_arena *a, struct typed_value **out, struct typed_diag *d);

/* Writes v as configuration text (a record's fields one per line at the
 * top, indented below); returns the length it has (snprintf-like). */
size_t typed_print(const struct typed_value *v, char *buf, size_t size);

/* ---- Command lines (cmdline.c) ---- */

/* Parses argv (without the program name) against record type t:
 *   --name VALUE  --name=VALUE  --flag  --no-flag  --list a,b  --rec.field V
 * (a '-' in a name stands for '_').  Defaults fill the rest; problems go to
 * d as "--cores: 99 is out of range 1..64".  *help is set if --help was
 * given (nothing else is checked then). */
enum err typed_cmdline_parse(const struct typed_type *t, int argc, const char *const *argv,
                             struct typed_arena *a, struct typed_value **out, struct typed_diag *d,
                             bool *help);

/* The --help text of record type t: a usage line, then one line per option
 * with its documentation, what it accepts and its default. */
size_t typed_help(const struct typed_type *t, const char *prog, char *buf, size_t size);

/* ---- Binary messages (bin.c; layout in README.md) ---- */

/* Writes v as a message: t's identity (8 bytes, little-endian), then the
 * value.  Returns the length it has; *e: OK, NOSPC (more than size), or
 * INVAL/RANGE for a value that breaks its type (an unresolved capability
 * included), described in err if err is not NULL. */
size_t typed_encode(const struct typed_value *v, uint8_t *buf, size_t size, enum err *e,
                    struct typed_error *err);

/* Reads a message of type t: checks the identity, every bound and that the
 * message ends with the value; never reads past len.  ERR_CORRUPT with err
 * naming the field and the byte offset, ERR_NOMEM when a is full. */
enum err typed_decode(const struct typed_type *t, const uint8_t *buf, size_t len,
                      struct typed_arena *a, struct typed_value **out, struct typed_error *err);

/* typed_decode of a message at the start of buf that other bytes may
 * follow (messages one after another): its length to *used. */
enum err typed_decode_prefix(const struct typed_type *t, const uint8_t *buf, size_t len,
                             size_t *used, struct typed_arena *a, struct typed_value **out,
                             struct typed_error *err);

/* Calls fn for every capability reference in v (to resolve names to
 * slots); stops at and returns fn's first error. */
enum err typed_each_cap(struct typed_value *v, enum err (*fn)(void *ctx, struct typed_value *cap),
                        void *ctx);

#endif
