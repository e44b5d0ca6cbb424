/* The shell's command libraries (docs/tile.md §16, README "The shell"):
 * library tiles whose commands section gives each command's signature
 * (lib/typed descriptors the shell checks when it loads the tile) and its
 * function.  A library has no runtime of its own and imports nothing: it
 * is code over lib/fmt and lib/string, and everything else it uses is the
 * shell's, lent through the one calling convention below.
 *
 * A command is a shell_fn (lib/shell/shell.h): it gets a struct
 * shell_call whose ctx is the shell's struct shlib_host, reads its
 * arguments from c->args (a record of its parameters, in the order its
 * schema declares them) and builds its result of type c->out_type (the
 * descriptor from its tile) in c->arena.  The functions are the only
 * global symbols a library defines (user/shlib/build.mk: SHLIB_CMD).
 */
#ifndef USER_SHLIB_SHLIB_H
#define USER_SHLIB_SHLIB_H

#include <shell/shell.h>
#include <tessera/urpc.h>

/* A command's function, the library's one kind of global symbol. */
#define SHLIB_CMD __attribute__((visibility("default"))) enum err

/* The previous line's times, in cycles (`timing`). */
struct shlib_times {
	uint64_t enter, checked, first, done;
};

struct shlib_host {
	uint32_t abi; /* SHELL_CMDLIB_ABI */
	/* The shell's channel to init (rt/initproto.h; init passes the file
	 * service's protocol on): one request at a time, its answers up to
	 * INIT_DONE (or one FS_REPLY).  answer returns INVAL when Ctrl-C
	 * cancelled the wait; abandon drops what is still to come. */
	enum err (*ask)(uint16_t type, const void *payload, size_t len);
	enum err (*answer)(struct urpc_msg *m);
	void (*abandon)(void);
	/* A line to the system log. */
	void (*log)(const char *s, size_t n);
	uint64_t (*cycles)(void);
	uint64_t (*cycles_hz)(void); /* 0: not known */
	void (*times)(struct shlib_times *t);
	/* Program name's command line checked against its tile's argument
	 * schema and encoded (msg, *size: room then length); *memory what
	 * its manifest asks for (0: nothing).  INVAL with why. */
	enum err (*program_args)(const char *name, const char *line, size_t len, uint8_t *msg,
	                         size_t *size, uint64_t *memory, char *why, size_t why_len);
	/* lib/shell's and lib/typed's helpers (shell.h, typed.h). */
	void *(*alloc)(struct typed_arena *a, size_t n);
	bool (*make_list)(struct shell_call *c, struct typed_value *v, const struct typed_type *t,
	                  uint32_t n);
	bool (*make_record)(struct typed_arena *a, struct typed_value *v,
	                    const struct typed_type *t);
	/* Sleeps us microseconds (a NOTIFY_TIMER on the shell's notification;
	 * what else arrives meanwhile is kept for the console). */
	enum err (*sleep)(uint64_t us);
};

/* ---- common.c: helpers every library links ---- */

static inline const struct shlib_host *shlib_host(const struct shell_call *c)
{
	return (const struct shlib_host *)c->ctx;
}

/* Records why the command failed (c->msg) and returns ERR_INVAL. */
enum err shlib_fail(struct shell_call *c, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* A copy of s (n bytes) in the call's arena as v's string. */
bool shlib_str(struct shell_call *c, struct typed_value *v, const char *s, size_t n);

/* A wait for init cut short: "cancelled (Ctrl-C)" or init cannot be asked. */
enum err shlib_no_init(struct shell_call *c, enum err e);

#endif
