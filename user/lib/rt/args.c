/* A program's typed arguments (docs/tile.md §10, lib/typed): in the
 * spawner, a command line or a message checked against the argument
 * schema in the child's tile and encoded for its arguments frame
 * (rt/image.h); in the program, that message (rt/args.h). */
#include <fmt/fmt.h>
#include <rt/args.h>
#include <rt/heap.h>
#include <rt/image.h>
#include <rt/spawn.h>
#include <string/mem.h>
#include <tile/types.h>

#include "image_priv.h"

#define ARENA_BYTES (64u << 10) /* a spawner's, for one check */

/* One check: where its problems go. */
struct argcheck {
	const char *name; /* the program's */
	char *why;        /* the first problem (why[0] 0: none yet) */
	size_t why_len;
	const struct rt_grants *g; /* what it is granted (caps resolve to it), or NULL */
};

/* Every problem on the log, the first in why. */
static void problem(void *ctx, const struct typed_error *e)
{
	struct argcheck *c = ctx;
	char line[TYPED_PATH_MAX + TYPED_MSG_MAX + 8];

	typed_error_format(e, NULL, line, sizeof line);
	rt_printf("spawn: %s: %s\n", c->name, line);
	if (!c->why[0])
		mem_strlcpy(c->why, line, c->why_len);
}

static enum err refuse(struct argcheck *c, const char *what)
{
	struct typed_error e = {0};

	mem_strlcpy(e.msg, what, sizeof e.msg);
	problem(c, &e);
	return ERR_INVAL;
}

/* A capability argument names a cap the child is granted: the log, or
 * one its manifest names (its slot as spawn's frames() places it). */
static enum err resolve(void *ctx, struct typed_value *cap)
{
	struct argcheck *c = ctx;
	const struct rt_grants *g = c->g;
	char msg[TYPED_MSG_MAX];

	if (g && g->log && strcmp(cap->cap.name, "log") == 0) {
		cap->cap.slot = SLOT_LOG;
		return ERR_OK;
	}
	for (unsigned i = 0; g && i < g->ncaps; i++)
		if (strcmp(cap->cap.name, g->caps[i].name) == 0) {
			cap->cap.slot = SLOT_FIRST_FREE + g->nmodules + i;
			return ERR_OK;
		}
	fmt_snprintf(msg, sizeof msg,
	             g ? "capability '%s': it is granted no cap of that name"
	               : "capability '%s': only a spawner on the program's own core resolves "
	                 "capability arguments",
	             cap->cap.name);
	return refuse(c, msg);
}

/* argv (or msg) against t into out (at most *size bytes; *size: its
 * length). */
static enum err check(struct argcheck *c, const struct typed_type *t, unsigned argc,
                      const char *const *argv, const uint8_t *msg, size_t msg_size,
                      struct typed_arena *a, uint8_t *out, size_t *size)
{
	struct typed_diag d = {problem, c, 0};
	struct typed_value *v;
	struct typed_error err;
	bool help = false;
	enum err e;

	if (argv || !msg) {
		e = typed_cmdline_parse(t, (int)argc, argv, a, &v, &d, &help);
		if (!e && help) {
			char *text = malloc(2048);
			if (text && typed_help(t, c->name, text, 2048))
				rt_printf("%s", text);
			free(text);
			return refuse(c, "--help: its options are on the log; it is not started");
		}
		if (!e)
			e = typed_each_cap(v, resolve, c);
	} else if ((e = typed_decode(t, msg, msg_size, a, &v, &err)) != ERR_OK) {
		problem(c, &err);
	} else {
		c->g = NULL; /* a message's slots are not ours to trust */
		e = typed_each_cap(v, resolve, c);
	}
	if (e)
		return e == ERR_NOMEM ? e : ERR_INVAL;
	size_t n = typed_encode(v, out, *size, &e, &err);
	if (e == ERR_NOSPC) {
		fmt_snprintf(err.msg, sizeof err.msg, "its arguments take %zu bytes, at most %zu",
		             n, *size);
		return refuse(c, err.msg);
	}
	if (e)
		problem(c, &err);
	*size = n;
	return e ? ERR_INVAL : ERR_OK;
}

/* The argument schema of t decoded in a; *ty NULL: it has none. */
static enum err schema(const struct tile *t, struct typed_arena *a, const struct typed_type **ty,
                       struct argcheck *c)
{
	struct tile_schema s;

	*ty = NULL;
	if (!tile_schema_of(t, TILE_SEC_ARGS, &s))
		return ERR_OK;
	return tile_type_decode(t, s.type, a, ty, c->why, c->why_len);
}

/* The arguments of the program in t into msg (see check). */
static enum err args_of(struct argcheck *c, const struct tile *t, unsigned argc,
                        const char *const *argv, const uint8_t *in, size_t in_size, uint8_t *msg,
                        size_t *size)
{
	const struct typed_type *ty;
	struct typed_arena a;
	void *mem = malloc(ARENA_BYTES);
	enum err e = mem ? ERR_OK : ERR_NOMEM;

	if (!e) {
		typed_arena_init(&a, mem, ARENA_BYTES);
		e = schema(t, &a, &ty, c);
	}
	if (!e && !ty && (argc || in))
		e = refuse(c, "it takes no arguments (its tile has no argument schema)");
	if (!e && !ty)
		*size = 0;
	else if (!e)
		e = check(c, ty, argc, argv, in, in_size, &a, msg, size);
	free(mem);
	return e;
}

enum err image_args(const struct rt_image *img, const struct spawn_args *a, struct rt_grants *g)
{
	struct argcheck c = {a->name, g->why, sizeof g->why, g};
	size_t size = sizeof g->args;

	g->why[0] = 0;
	if (!img->tile)
		return a->argc || a->args_msg
		               ? refuse(&c, "a static ELF takes no arguments (it has no schema)")
		               : ERR_OK;
	enum err e = args_of(&c, &img->t, a->argc, a->argv, a->argv ? NULL : a->args_msg,
	                     a->args_size, g->args, &size);
	g->args_size = e ? 0 : (uint32_t)size;
	return e;
}

enum err rt_args_encode(const char *name, const void *file, size_t size, unsigned argc,
                        const char *const *argv, uint8_t *msg, size_t *msg_size, char *why,
                        size_t why_len)
{
	struct argcheck c = {name, why, why_len, NULL};
	struct tile t;
	enum err e = tile_check(file, size, name, TILE_ARCH_X86_64, &t, why, why_len);

	if (e || (e = image_types(&t)) != ERR_OK)
		return e;
	why[0] = 0;
	return args_of(&c, &t, argc, argv, NULL, 0, msg, msg_size);
}

/* ---- In the program ---- */

const uint8_t *rt_args_msg(size_t *size)
{
	const struct prog_args *a = rt_args();

	*size = a && a->args_size <= PROG_ARGS_BYTES ? a->args_size : 0;
	return a ? a->args : NULL;
}

void rt_args_begin(struct rt_args_reader *r)
{
	static uint8_t mem[RT_ARGS_ARENA] __attribute__((aligned(8))); /* image pages: no budget */

	typed_arena_init(&r->arena, mem, sizeof mem);
	r->msg = rt_args_msg(&r->size);
	r->err = (struct typed_error){0};
}

void rt_args_end(const struct rt_args_reader *r, enum err e)
{
	char line[TYPED_PATH_MAX + TYPED_MSG_MAX + 8];

	if (!e)
		return;
	typed_error_format(&r->err, NULL, line, sizeof line);
	rt_printf("%s: its arguments are refused: %s%s\n", rt_args() ? rt_args()->name : "?",
	          line[0] ? line : err_str(e), r->size ? "" : " (it was given none)");
	rt_exit(RT_EXIT_ARGS);
}

/* The first problem of the empty command line, kept for rt_args_end. */
static void keep_first(void *ctx, const struct typed_error *e)
{
	struct typed_error *first = ctx;

	if (!first->msg[0])
		*first = *e;
}

enum err rt_args_empty(struct rt_args_reader *r, enum err e, const struct typed_type *t,
                       struct typed_value **v)
{
	struct typed_diag d = {keep_first, &r->err, 0};
	bool help = false;

	if (e)
		return e;
	return typed_cmdline_parse(t, 0, NULL, &r->arena, v, &d, &help);
}
