/* lib/shell's own parts: tokens, the syntax tree, the plan's operations,
 * the compiler's state and helpers shared by its files. */
#ifndef LIB_SHELL_INTERNAL_H
#define LIB_SHELL_INTERNAL_H

#include <stdarg.h>

#include <fmt/fmt.h>

#include "shell.h"

#define SHELL_DEPTH_MAX 40  /* nesting of expressions, blocks and calls */
#define SHELL_VARS_MAX  128 /* variables in scope in one function */
#define SHELL_NAME_MAX  64  /* a name's bytes */
#define SHELL_REGS_MAX  60000
#define SHELL_STR_MAX   65536 /* strings and paths the shell makes */
#define SHELL_LIST_MAX  65536
#define SHELL_NO_REG    0xffffffffu
#define SHELL_POLL_OPS  1024 /* operations between two polls for a cancel */

/* ---- Tokens (lex.c) ---- */

enum tok_kind {
	T_END,
	T_NL,    /* a new line or ';' */
	T_NAME,  /* [A-Za-z_][A-Za-z0-9_]* */
	T_VAR,   /* $name */
	T_INT,   /* 42, 0x2a */
	T_SIZE,  /* 64M (bytes in u) */
	T_DUR,   /* 300ms (nanoseconds in u) */
	T_STR,   /* "..." decoded */
	T_PATH,  /* /a/b */
	T_PUNCT, /* p: one of | ( ) [ ] { } , : = + - * / . < > or a two-byte code below */
	T_ERR
};

/* Two-byte operators as one code. */
#define P_EQ    'E' /* == */
#define P_NE    'N' /* != */
#define P_LE    'L' /* <= */
#define P_GE    'G' /* >= */
#define P_ARROW 'A' /* -> */

struct token {
	uint8_t kind;
	char p;             /* T_PUNCT */
	bool space;         /* white space before it */
	uint32_t line, col; /* where it starts */
	const char *text;   /* NAME, VAR, STR, PATH: NUL-terminated, in the arena; ERR: why */
	uint32_t len;
	uint64_t u; /* INT, SIZE, DUR */
};

struct lexer {
	const char *src;
	size_t len, at;
	uint32_t line, col;
	struct typed_arena *arena;
	uint8_t prev; /* the last token's kind, for '/' */
	char prev_p;
};

void shell_lex_init(struct lexer *lx, const char *src, size_t len, struct typed_arena *a);
struct token shell_lex_next(struct lexer *lx);

/* ---- Syntax tree (parse.c) ---- */

enum node_kind {
	N_INT,
	N_SIZE,
	N_DUR,
	N_STR,
	N_PATH,
	N_BOOL,
	N_NAME,   /* a bare word: a column, an enum value, a string */
	N_VAR,    /* $name */
	N_FIELD,  /* a.text */
	N_LIST,   /* [a ...] */
	N_RECORD, /* {N_ENTRY ...} */
	N_ENTRY,  /* text: a */
	N_BIN,    /* a op b */
	N_NOT,
	N_NEG,
	N_CALL,  /* text: the name; a: N_ARG ... */
	N_ARG,   /* text: its name, or NULL (positional); a: the value */
	N_PIPE,  /* a: the stages */
	N_LET,   /* text = a */
	N_IF,    /* if a b else c */
	N_FOR,   /* for text in a b */
	N_FN,    /* fn text(a: N_PARAM ...) b */
	N_PARAM, /* text: a (N_TYPE) */
	N_TYPE,  /* text(a) */
	N_BLOCK, /* a: statements */
};

/* Binary operators (node.op, shell_op.bin). */
enum bin_op { B_OR, B_AND, B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE, B_ADD, B_SUB, B_MUL, B_DIV };

struct node {
	uint8_t kind, op;
	uint32_t line, col;
	const char *text;
	uint64_t u; /* INT, SIZE, DUR, BOOL */
	struct node *a, *b, *c;
	struct node *next; /* the next of a list (arguments, items, statements, stages) */
};

/* Parses src; a syntax error in *err (false). */
bool shell_parse(const char *src, size_t len, struct typed_arena *a, struct node **script,
                 struct shell_error *err);

/* ---- The plan ---- */

enum op_code {
	OP_CONST,  /* dst = *p */
	OP_MOVE,   /* dst = a */
	OP_GLOAD,  /* dst = global n */
	OP_GSTORE, /* global n = a (copied to the shell's memory) */
	OP_FIELD,  /* dst = a.fields[n] */
	OP_BIN,    /* dst = a bin b (type p) */
	OP_NOT,    /* dst = not a */
	OP_NEG,    /* dst = -a */
	OP_LIST,   /* dst = list of type p of regs */
	OP_RECORD, /* dst = record of type p of regs */
	OP_CALL,   /* dst = command (p: callsite) with input a, arguments b (or none) */
	OP_CALLFN, /* dst = function n with arguments b (a record) */
	OP_JUMP,   /* to n */
	OP_JUMPF,  /* to n if a is false */
	OP_NEXT,   /* b: index; dst = a[b++], or to n at the end */
	OP_PRINT,  /* format a */
	OP_RET,    /* return a (or nothing) */
	OP_CONV,   /* dst = a checked against type p */
};

struct shell_op {
	uint8_t code, bin;
	uint32_t line, col;
	uint32_t dst, a, b, n;
	const void *p;
	const uint32_t *regs; /* LIST, RECORD: n registers (SHELL_NO_REG: an absent optional) */
};

/* A command's call: its signature, result type, and for each ROW argument
 * the code that evaluates it (entry), the row's register and the result's. */
struct shell_callsite {
	const struct shell_sig *sig;
	const struct typed_type *out_type;
	uint32_t nparams;
	uint32_t *row_entry, *row_reg, *row_res;
};

struct shell_plan {
	struct shell_op *ops;
	uint32_t nops, nregs;
};

struct shell_func {
	const char *name;
	const struct typed_type *params; /* a record */
	const struct typed_type *ret;    /* NULL: nothing */
	struct shell_plan code;          /* params in registers 0.. */
};

struct shell_global {
	const char *name;
	const struct typed_type *type;
	struct typed_value value;
};

struct shell {
	const struct shell_cmds *cmds;
	struct typed_arena arena;   /* definitions and plans */
	struct typed_arena scratch; /* values while a plan runs */
	struct shell_global *globals;
	uint32_t nglobals, max_globals;
	struct shell_func *funcs;
	uint32_t nfuncs, max_funcs;
	const char *const *programs; /* SHELL_ARG_PROGRAM's names */
	uint32_t nprograms;
	bool (*poll)(void *ctx); /* shell_set_cancel */
	void *poll_ctx;
	shell_list_fn list; /* shell_set_paths */
	void *list_ctx;
	char (*entries)[SHELL_ENTRY_MAX]; /* completion's scratch: names, then paths */
	bool *entry_dirs;
	char *paths;
};

/* ---- The compiler (check.c, call.c, stmt.c) ---- */

struct scope_var {
	const char *name;
	const struct typed_type *type;
	uint32_t reg;
};

struct frame {
	struct shell_op *ops;
	uint32_t nops, cap, nregs;
	struct scope_var vars[SHELL_VARS_MAX];
	uint32_t nvars;
	bool top; /* the script's own: `let` makes globals */
};

/* The row an expression of a ROW argument is about. */
struct row_ctx {
	const struct typed_type *type; /* a record */
	uint32_t reg;
};

struct cx {
	struct shell *sh;
	struct typed_arena *a;
	struct frame *f;
	struct shell_error *err;
	bool failed;
	uint32_t depth;
	const struct row_ctx *row;
	uint32_t nglobals, nfuncs; /* visible to this compile */
};

/* Reports a problem at n (the first one is kept); returns SHELL_NO_REG. */
uint32_t cx_fail(struct cx *c, uint32_t line, uint32_t col, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
uint32_t cx_reg(struct cx *c);
struct shell_op *cx_emit(struct cx *c, uint8_t code, const struct node *at);

/* An expression into a register; want: the type the place needs, or NULL.
 * *t: its type (NULL: nothing). */
uint32_t cx_expr(struct cx *c, const struct node *n, const struct typed_type *want,
                 const struct typed_type **t);
/* A pipeline (or one expression) into a register. */
uint32_t cx_pipe(struct cx *c, const struct node *n, const struct typed_type *want,
                 const struct typed_type **t);
/* A call as a pipeline's stage with input (in_reg, in_t; SHELL_NO_REG: none). */
uint32_t cx_call(struct cx *c, const struct node *n, uint32_t in_reg, const struct typed_type *in_t,
                 const struct typed_type **t);
/* A value of type t moved into want (a conversion checked now, or when it
 * runs if its range is wider); SHELL_NO_REG after reporting. */
uint32_t cx_coerce(struct cx *c, const struct node *at, uint32_t reg, const struct typed_type *t,
                   const struct typed_type *want);
/* "expected WANT, found T" (a literal shown as written) at n. */
uint32_t cx_mismatch(struct cx *c, const struct node *n, const struct typed_type *t,
                     const struct typed_type *want);
/* A record literal n against rt (regs: one per field), and the record built. */
bool cx_record_value(struct cx *c, const struct node *n, const struct typed_type *rt,
                     uint32_t *regs);
uint32_t cx_build_record(struct cx *c, const struct node *at, const struct typed_type *rt,
                         uint32_t *regs);
const struct shell_sig *cx_find_cmd(const struct shell *sh, const char *name);
int cx_find_func(const struct cx *c, const char *name);

/* ---- Types (types.c) ---- */

extern const struct typed_type shell_t_bool, shell_t_int, shell_t_uint, shell_t_size, shell_t_dur,
        shell_t_str, shell_t_path;

/* Whether a value of type from fits into `to` without a conversion that
 * can fail; *conv: whether one (checked when it runs) is needed. */
bool shell_type_fits(const struct typed_type *to, const struct typed_type *from, bool *conv);
bool shell_is_table(const struct typed_type *t);
bool shell_is_number(const struct typed_type *t); /* INT, UINT */
int shell_field_index(const struct typed_type *rec, const char *name);
/* "a, b, c": a record's field names. */
void shell_field_names(const struct typed_type *rec, char *buf, size_t size);
const struct typed_type *shell_list_of(struct typed_arena *a, const struct typed_type *elem);
/* Whether a scalar value v fits type t; why in buf otherwise. */
bool shell_value_fits(const struct typed_value *v, const struct typed_type *t, char *why,
                      size_t size);
/* A path's problem ("has an empty part"), or NULL. */
const char *shell_path_problem(const char *s, size_t n);

/* ---- Values (value.c) ---- */

/* dst = a op b of result type t (strings joined in ar); false with why. */
bool shell_bin(struct typed_arena *ar, uint8_t op, const struct typed_value *a,
               const struct typed_value *b, const struct typed_type *t, struct typed_value *dst,
               char *why, size_t size);
/* -1, 0, 1; for ==, <, sorting (same kinds). */
int shell_compare(const struct typed_value *a, const struct typed_value *b);
/* A deep copy (NULL: arena full). */
bool shell_copy(struct typed_arena *a, const struct typed_value *v, struct typed_value *out);
/* v retyped as t, every part checked (a conversion); false with why. */
bool shell_convert(struct typed_arena *a, const struct typed_value *v, const struct typed_type *t,
                   struct typed_value *out, char *why, size_t size);

/* ---- Text (format.c) ---- */

#endif
