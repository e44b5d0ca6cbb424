/* The shell: a typed language whose commands are library functions.
 *
 * A line or a script is lexed, parsed, type-checked and compiled to a plan
 * (a list of direct calls and moves between registers) before anything
 * runs; an error names the line and column, and what type was expected and
 * found.  Commands come from tables of signatures the caller supplies
 * (struct shell_cmds): a signature is a lib/typed record of parameters, the
 * type of its pipeline input and of its result, and a function pointer.
 * Values are lib/typed values; a table is a list of records.
 *
 *   struct shell *sh = shell_new(mem, size, &cmds);
 *   shell_compile(sh, "ps | where core == 1 | sort mem", n, &plan, &err);
 *   shell_exec(sh, plan, &out, &err);
 *
 * Freestanding, no allocation: everything lives in the memory given to
 * shell_new.  Language and design: lib/shell/README.md.
 */
#ifndef LIB_SHELL_H
#define LIB_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>
#include <typed/typed.h>

/* ---- Signatures: what a command library exports ---- */

/* How a parameter's argument is written and passed (struct shell_sig's
 * arg_kinds, one per field of params). */
enum shell_arg_kind {
	SHELL_ARG_VALUE = 0,   /* an expression of the field's type */
	SHELL_ARG_COLUMN = 1,  /* a column of the input table (a string field): sort mem */
	SHELL_ARG_ROW = 2,     /* an expression over each row of the input, of the field's
	                        * type (the row's columns are names in it): where core == 1;
	                        * the command evaluates it with shell_call_row */
	SHELL_ARG_COMMAND = 3, /* the name of a command or function (a string field): help ps */
	SHELL_ARG_PROGRAM = 4, /* the name of a program the shell can start (a string field):
	                        * spawn sieve; one of shell_set_programs' names */
};

/* A command's pipeline input and result. */
enum shell_io {
	SHELL_IO_NONE = 0,  /* input: takes none; result: returns nothing */
	SHELL_IO_TYPE = 1,  /* exactly in_type / out_type */
	SHELL_IO_TABLE = 2, /* input: any list of records */
	SHELL_IO_LIST = 3,  /* input: any list */
	SHELL_IO_SAME = 4,  /* result: the input's type */
	SHELL_IO_ELEM = 5,  /* result: the input list's element type */
};

struct shell_call;
typedef enum err (*shell_fn)(struct shell_call *c);

struct shell_sig {
	const char *name;                /* [a-z][a-z0-9_]*, < TYPED_NAME_MAX bytes */
	const char *doc;                 /* one line */
	const struct typed_type *params; /* a record (positional order = field order), or NULL */
	const uint8_t *arg_kinds;        /* per field, enum shell_arg_kind; NULL: all VALUE */
	uint8_t in, out;                 /* enum shell_io */
	const struct typed_type *in_type, *out_type; /* for SHELL_IO_TYPE */
	shell_fn fn;
	void *ctx; /* the library's, passed in struct shell_call */
};

/* A table of commands; tables are chained (the first name found wins). */
struct shell_cmds {
	const struct shell_sig *sigs;
	uint32_t count;
	const struct shell_cmds *next;
	const char *from; /* the library it came from (help shows it), or NULL */
};

/* Where results and errors are written; width: the terminal's columns. */
struct shell_out {
	void (*write)(void *ctx, const char *s, size_t n);
	void *ctx;
	uint32_t width;
};

/* ---- Calls: what a command's function gets ---- */

struct shell_run;
struct shell_callsite;
struct shell_plan;

struct shell_call {
	const struct shell_sig *sig;
	void *ctx;                         /* sig->ctx */
	const struct typed_value *in;      /* the pipeline's input, or NULL */
	const struct typed_value *args;    /* a record of sig->params (defaults filled), or NULL */
	const struct typed_type *out_type; /* the result's type (SAME and ELEM resolved) */
	struct typed_value *out;           /* the result: fill it (its type is out_type) */
	struct typed_arena *arena;         /* where the result's parts live */
	const struct shell_out *print;     /* for commands that write text (help) */
	const struct shell_cmds *cmds;     /* every command (help) */
	char msg[160];                     /* why it failed (shell_call_fail) */
	/* the shell's: */
	struct shell_run *run;
	const struct shell_callsite *site;
	const struct shell_plan *plan;
	struct typed_value *regs;
};

/* Evaluates the SHELL_ARG_ROW argument of parameter param for row (an item
 * of c->in) into *out; false if it failed (return the error). */
bool shell_call_row(struct shell_call *c, unsigned param, const struct typed_value *row,
                    struct typed_value *out, enum err *e);

/* Records why the command failed and returns ERR_INVAL. */
enum err shell_call_fail(struct shell_call *c, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* Helpers for results: a list of n items of type t (items zeroed, their
 * types set to t's element), a record of type t (fields' types set). */
bool shell_make_list(struct shell_call *c, struct typed_value *v, const struct typed_type *t,
                     uint32_t n);
bool shell_make_record(struct typed_arena *a, struct typed_value *v, const struct typed_type *t);

/* Generic commands, a library like any other (std.c): where (ROW), sort
 * (COLUMN), first, reverse, length.  Chain it after a caller's table. */
extern const struct shell_cmds shell_std_cmds;

/* ---- Command libraries (cmdlib.c; docs/tile.md §16) ---- */

/* The calling convention of a command library's functions: a shell_fn
 * given a struct shell_call whose ctx is what the shell lends it (its
 * channels, output, memory: the program's own struct, user/shell/shlib.h).
 * A library with another version is refused. */
#define SHELL_CMDLIB_ABI 1
#define SHELL_CMDLIB_MAX 64 /* commands in one library */

/* The commands of the library tile in file (size bytes, name for
 * messages; it must stay, names point into it): checked with lib/tile (tile_check,
 * tile_types_check), then what the shell needs: a library that imports nothing (it has no runtime
 * of its own), every command's ABI, name, parameters record, letters
 * (one per parameter: v c r n p, SHELL_ARG_*), input and result kinds
 * with their types, and no type the shell cannot hold (capabilities,
 * functions).  Signatures and types are built in a; each function is
 * base + its offset (base: where the caller placed the image; 0: fn
 * instead, for a host that only checks lines) and gets ctx.  ERR_CORRUPT
 * / ERR_UNSUPPORTED / ERR_NOMEM with why naming the tile and the field:
 * "libbad: commands[1].kinds: 3 letters for 2 parameters". */
enum err shell_cmdlib_load(const void *file, size_t size, const char *name, uint64_t base,
                           shell_fn fn, void *ctx, struct typed_arena *a, struct shell_cmds *out,
                           char *why, size_t why_len);

/* The names SHELL_ARG_PROGRAM arguments accept and Tab offers (kept, not
 * copied). */
struct shell;
void shell_set_programs(struct shell *sh, const char *const *names, uint32_t count);

/* The signature of a command as text: "sort [by: column] -> same as input". */
size_t shell_sig_text(const struct shell_sig *s, char *buf, size_t size);

/* ---- Compiling and running ---- */

/* One problem: where (line, column from 1; byte columns) and what. */
struct shell_error {
	uint32_t line, col;
	char msg[256];
};

struct shell;
struct shell_plan;

/* A shell in mem (at least SHELL_MIN_MEM bytes; NULL if less): variables
 * and functions defined by one compile stay for the next. */
#define SHELL_MIN_MEM (64u << 10)
struct shell *shell_new(void *mem, size_t size, const struct shell_cmds *cmds);

/* Lexes, parses, checks and plans src (a line or a script).  ERR_OK and a
 * plan, or an error (ERR_CORRUPT: in the text; ERR_NOMEM: out of memory)
 * in *err; then nothing the text defines is kept. */
enum err shell_compile(struct shell *sh, const char *src, size_t len, struct shell_plan **plan,
                       struct shell_error *err);

/* Runs a plan: every statement's result is formatted to out.  A command's
 * failure stops it (ERR_* with where and why in *err).  Values live in a
 * scratch part of the shell's memory, reused by the next exec (variables'
 * values are kept). */
enum err shell_exec(struct shell *sh, const struct shell_plan *plan, const struct shell_out *out,
                    struct shell_error *err);

/* Ctrl-C inside a long computation: while a plan runs, every
 * SHELL_POLL_OPS operations (a `for` loop, a row expression over many
 * rows: every one of them) the interpreter asks cancelled(ctx); true stops
 * it with ERR_INVAL, "cancelled (Ctrl-C)" at the operation's place. */
void shell_set_cancel(struct shell *sh, bool (*cancelled)(void *ctx), void *ctx);

/* The plan as text, one operation a line (tests, `tshell --plan`). */
size_t shell_plan_text(const struct shell_plan *p, char *buf, size_t size);

/* The line of src an error is on, a caret under its column, and
 * "LINE:COL: message" (a name before it if name). */
size_t shell_error_show(const char *src, size_t len, const struct shell_error *e, const char *name,
                        char *buf, size_t size);

/* ---- Types and values ---- */

/* A type as the shell writes it: int, uint 1..64, size, string, path,
 * enum(a, b), list(int), record(a: int, b: size), table(pid, name). */
size_t shell_type_text(const struct typed_type *t, char *buf, size_t size);

/* A value formatted for a terminal of width columns: scalars as literals
 * (64M, 300ms), records one field a line, tables as aligned columns cut
 * to fit.  Ends with a new line. */
size_t shell_format(const struct typed_value *v, uint32_t width, char *buf, size_t size);

/* A scalar in a table cell: 64M, 1.5G, 300ms, 1h2min, true, a string. */
size_t shell_format_scalar(const struct typed_value *v, char *buf, size_t size);

/* ---- Interactive: completion (complete.c) and line editing (edit.c) ---- */

struct shell_cand {
	const char *name; /* into the signatures', the shell's or the entries' names */
	bool arg;         /* a named argument: completed as NAME= */
	bool dir;         /* a directory's path: completed with no blank after it */
};

/* Paths: what a directory holds, from the host (the file service, a
 * fixture): up to max names (each < SHELL_ENTRY_MAX bytes) into names,
 * whether each is a directory into dirs; how many (0: none, or no such
 * directory).  dir is "/" or "/a/b" (no '/' at its end). */
#define SHELL_ENTRY_MAX  64
#define SHELL_ENTRIES    64
#define SHELL_PATH_CANDS 512 /* bytes of a path candidate */
typedef uint32_t (*shell_list_fn)(void *ctx, const char *dir, char (*names)[SHELL_ENTRY_MAX],
                                  bool *dirs, uint32_t max);
void shell_set_paths(struct shell *sh, shell_list_fn list, void *ctx);

/* Candidates for the word that ends at cursor of line: commands and
 * functions at a command's place, its named arguments after one, enum
 * values (and commands, programs) for a positional or NAME= argument; a
 * word that starts with '/' is a path: the entries of its directory from
 * shell_set_paths' host (only then is it asked); only those that start
 * with the word.  Writes up to max,
 * returns how many there are; *start: where the word begins. */
uint32_t shell_complete(const struct shell *sh, const char *line, size_t cursor,
                        struct shell_cand *out, uint32_t max, size_t *start);

#define SHELL_LINE_MAX 512
#define SHELL_HIST_MAX 32

enum shell_edit_event {
	SHELL_EDIT_NONE,   /* keep feeding */
	SHELL_EDIT_LINE,   /* Enter: the line is in .line (NUL-terminated) */
	SHELL_EDIT_CANCEL, /* Ctrl-C: the line is dropped */
	SHELL_EDIT_EOF,    /* Ctrl-D on an empty line */
};

/* A line editor as a state machine over bytes: keys in (as a terminal
 * sends them: VT100/xterm escape sequences), what to draw out.  Keys:
 * printable bytes, Backspace, Delete, Left/Right, Home/End (and Ctrl-A,
 * Ctrl-E, Ctrl-B, Ctrl-F), Up/Down (and Ctrl-P, Ctrl-N) through history,
 * Ctrl-K, Ctrl-U, Tab (completion), Enter, Ctrl-C, Ctrl-D. */
struct shell_edit {
	const struct shell_out *out;
	const struct shell *sh; /* for completion, or NULL */
	const char *prompt;
	char line[SHELL_LINE_MAX];
	size_t len, cur;
	char hist[SHELL_HIST_MAX][SHELL_LINE_MAX];
	uint32_t nhist, browse; /* browse: nhist when not browsing */
	char saved[SHELL_LINE_MAX];
	uint8_t esc; /* 0, or how far into an escape sequence */
	char esc_arg;
	bool after_cr;
};

void shell_edit_init(struct shell_edit *e, const struct shell_out *out, const struct shell *sh,
                     const char *prompt);
/* Draws the prompt for a new, empty line. */
void shell_edit_start(struct shell_edit *e);
enum shell_edit_event shell_edit_feed(struct shell_edit *e, uint8_t byte);

#endif
