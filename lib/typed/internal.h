/* lib/typed's own helpers, shared by its files and tools/typedc: a text
 * builder, varints, the lexer, scalar conversions and error reporting. */
#ifndef LIB_TYPED_INTERNAL_H
#define LIB_TYPED_INTERNAL_H

#include <stdarg.h>

#include <fmt/fmt.h>

#include "typed.h"

/* ---- Text building: snprintf-like, the length counts what did not fit ---- */

/* s as a quoted string: "a\"b\n" (\" \\ \n \t, \xHH for other controls). */
void tb_quoted(struct fmt_buf *b, const char *s, size_t n);
/* A value as written: an atom as is (quoted if empty or unusual), a
 * string quoted; at most TYPED_SHOW bytes of it, then "...". */
void tb_shown(struct fmt_buf *b, const char *s, size_t n, bool quoted);
#define TYPED_SHOW 48
/* 64M, 1536K, 100 (bytes); 300ms, 2s, 0ns. */
void tb_size(struct fmt_buf *b, uint64_t bytes);
void tb_duration(struct fmt_buf *b, uint64_t ns);
/* Whether c can be part of an atom: letters, digits, _ . + - / */
bool typed_atom_char(char c);
/* Whether s is [a-z][a-z0-9_]* and short enough for a field name. */
bool typed_field_name_ok(const char *s, size_t n);
/* Whether s is [A-Za-z0-9_]+ (enum) or [A-Za-z0-9_.-]+ (capability), short enough. */
bool typed_enum_name_ok(const char *s, size_t n);
bool typed_cap_name_ok(const char *s, size_t n);

/* ---- Varints: LEB128, minimal; zigzag for signed ---- */

#define VARINT_MAX 10

size_t varint_put(uint8_t *buf, uint64_t v); /* writes at most VARINT_MAX bytes */
/* Reads one from [*at, end): false if it is cut short, longer than needed
 * or does not fit 64 bits. */
bool varint_get(const uint8_t **at, const uint8_t *end, uint64_t *v);
static inline uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}
static inline int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* Byte sinks for the encoders: writes what fits, counts everything, and
 * folds every byte into *hash (FNV-1a 64) if hash is not NULL. */
struct bsink {
	uint8_t *p;
	size_t size, len;
	uint64_t *hash;
};
void bs_hash(uint64_t *h, const uint8_t *data, size_t n);
void bs_put(struct bsink *s, const void *data, size_t n);
void bs_u8(struct bsink *s, uint8_t v);
void bs_varint(struct bsink *s, uint64_t v);

/* ---- Lexer (text.c): shared by the configuration text and schemas ---- */

enum tok_kind {
	TOK_END,
	TOK_NEWLINE,
	TOK_ATOM,   /* [A-Za-z0-9_.+-/]+ */
	TOK_STRING, /* "..." */
	TOK_PUNCT,  /* one of { } [ ] ( ) = , : ? */
	TOK_ERROR
};

struct lexer {
	const char *text;
	size_t len, at;
	uint32_t line, col;
	struct typed_arena *arena;
};

struct token {
	enum tok_kind kind;
	uint32_t line, col;
	const char *text; /* ATOM, STRING: NUL-terminated, in the arena; PUNCT: one char */
	uint32_t len;
	const char *why; /* ERROR: what is wrong; NULL: the arena is full */
	char bad;        /* ERROR: the unexpected (printable) character, or 0 */
};

void lex_init(struct lexer *lx, const char *text, size_t len, struct typed_arena *a);
/* The next token; comments (# to the end of the line) are skipped. */
struct token lex_next(struct lexer *lx);

/* Parses one value of the configuration syntax starting at *tok (the
 * lexer's current token, which must not be an error); leaves in *tok the
 * token after it.  A syntax error in err (ERR_CORRUPT, NOMEM). */
enum err text_value(struct lexer *lx, struct token *tok, struct typed_node **out,
                    struct typed_error *err);

/* ---- Checking (check.c, scalar.c) ---- */

enum check_style {
	STYLE_TEXT,   /* paths a.b[1].c */
	STYLE_CMDLINE /* paths --a.b */
};

struct checker {
	struct typed_arena *arena;
	struct typed_diag *diag;
	enum check_style style;
	char path[TYPED_PATH_MAX];
	size_t path_len;
	bool nomem;
};

/* Reports a problem at (line, col) for the checker's current path. */
void check_report(struct checker *c, uint32_t line, uint32_t col, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
/* Sends a finished error to d (counts it). */
void typed_diag_send(struct typed_diag *d, const struct typed_error *e);
void typed_error_set(struct typed_error *e, uint32_t line, uint32_t col, const char *path,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void typed_error_vset(struct typed_error *e, uint32_t line, uint32_t col, const char *path,
                      const char *fmt, va_list ap);

/* Checks n against t (typed_check with the checker's style). */
enum err check_run(struct checker *c, const struct typed_type *t, const struct typed_node *n,
                   struct typed_value **out);

/* Converts an ATOM or STRING node to a scalar of type t (not LIST, RECORD,
 * OPTIONAL) into v; false after reporting why. */
bool check_scalar(struct checker *c, const struct typed_type *t, const struct typed_node *n,
                  struct typed_value *v);

/* Whether a scalar value is within its type's bounds; what is wrong in
 * why otherwise (for the encoder and descriptor checks). */
bool typed_scalar_valid(const struct typed_value *v, char *why, size_t size);

/* Whether v and everything in it is within its types' bounds (lists'
 * counts, records' fields, scalars); the first problem in err otherwise. */
bool typed_value_valid(const struct typed_value *v, struct typed_error *err);

/* The value encoding of v (valid) into s (bin.c). */
void typed_value_write(const struct typed_value *v, struct bsink *s);

/* Reads one value of type t from [*at, end) into *out (strings copied to
 * a); errors name the byte offset from base.  ERR_CORRUPT or ERR_NOMEM. */
enum err typed_value_read(const struct typed_type *t, const uint8_t **at, const uint8_t *end,
                          struct typed_arena *a, struct typed_value *out, struct typed_error *err,
                          const uint8_t *base);

/* A deep copy of v in a (NULL when it is full). */
struct typed_value *typed_copy(const struct typed_value *v, struct typed_arena *a);

#endif
