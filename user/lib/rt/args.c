/* A program's typed arguments and configuration (docs/tile.md §10,
 * lib/typed): in the spawner, a command line or a message checked against
 * the argument schema in the child's tile, and a configuration message
 * against its config schema, encoded for its arguments frame
 * (rt/image.h); in the program, those messages (rt/args.h). */
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
	const char *what; /* "configuration" while that is checked, else NULL */
	char *why;        /* the first problem (why[0] 0: none yet) */
	size_t why_len;
	const struct rt_grants *g; /* what it is granted (caps resolve to it), or NULL */
};

/* Every problem on the log, the first in why. */
static void problem(void *ctx, const struct typed_error *e)
{
	struct argcheck *c = ctx;
	char line[TYPED_PATH_MAX + TYPED_MSG_MAX + 8];

	typed_error_format(e, c->what, line, sizeof line);
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

/* The schema of section sec (TILE_SEC_ARGS or TILE_SEC_CONFIG) of t
 * decoded in a; *ty NULL: it has none. */
static enum err schema(const struct tile *t, unsigned sec, struct typed_arena *a,
                       const struct typed_type **ty, struct argcheck *c)
{
	struct tile_schema s;

	*ty = NULL;
	if (!tile_schema_of(t, sec, &s))
		return ERR_OK;
	return tile_type_decode(t, s.type, a, ty, c->why, c->why_len);
}

/* The length of the message of type t at the start of in (n bytes): one
 * from another core may be followed by a configuration message.  n when
 * it cannot tell (the decoder then says why). */
static size_t msg_len(const struct typed_type *t, const uint8_t *in, size_t n,
                      struct typed_arena *a)
{
	struct typed_value *v;
	struct typed_error err;
	size_t used;

	return typed_decode_prefix(t, in, n, &used, a, &v, &err) ? n : used;
}

/* What a spawn passes: a command line (argv) or an arguments message (in),
 * and a configuration message (cfg, or what follows the arguments in in). */
struct values {
	unsigned argc;
	const char *const *argv;
	const uint8_t *in, *cfg;
	size_t in_size, cfg_size;
};

/* v checked against the schemas of the program in t and encoded into out
 * (room bytes): its arguments (*size), then its configuration (*cfg). */
static enum err values_of(struct argcheck *c, const struct tile *t, struct values *v, uint8_t *out,
                          size_t room, size_t *size, size_t *cfg)
{
	const struct typed_type *ty = NULL, *cty = NULL;
	struct typed_arena a;
	void *mem = malloc(ARENA_BYTES);
	enum err e = mem ? ERR_OK : ERR_NOMEM;

	*size = *cfg = 0;
	if (!e) {
		typed_arena_init(&a, mem, ARENA_BYTES);
		e = schema(t, TILE_SEC_ARGS, &a, &ty, c);
	}
	if (!e)
		e = schema(t, TILE_SEC_CONFIG, &a, &cty, c);
	if (!e && v->in && !v->cfg && cty) { /* another core's: arguments, then configuration */
		size_t n = ty ? msg_len(ty, v->in, v->in_size, &a) : 0;
		if (n < v->in_size) {
			v->cfg = v->in + n, v->cfg_size = v->in_size - n;
			v->in = n ? v->in : NULL, v->in_size = n;
		}
	}
	if (!e && !ty && (v->argc || v->in))
		e = refuse(c, "it takes no arguments (its tile has no argument schema)");
	if (!e && ty) {
		*size = room;
		e = check(c, ty, v->argc, v->argv, v->in, v->in_size, &a, out, size);
	}
	if (!e && v->cfg && !cty)
		e = refuse(c, "it takes no configuration (its tile has no config schema)");
	if (!e && v->cfg) {
		c->what = "configuration";
		*cfg = room - *size;
		e = check(c, cty, 0, NULL, v->cfg, v->cfg_size, &a, out + *size, cfg);
	}
	free(mem);
	return e;
}

enum err image_args(const struct rt_image *img, const struct spawn_args *a, struct rt_grants *g)
{
	struct argcheck c = {a->name, NULL, g->why, sizeof g->why, g};
	struct values v = {a->argc,       a->argv,      a->argv ? NULL : a->args_msg,
	                   a->config_msg, a->args_size, a->config_size};
	size_t size, cfg;

	g->why[0] = 0;
	g->args_size = g->config_size = 0;
	if (!img->tile && (a->argc || a->args_msg))
		return refuse(&c, "a static ELF takes no arguments (it has no schema)");
	if (!img->tile)
		return a->config_msg ? refuse(&c, "a static ELF takes no configuration (it has no "
		                                  "schema)")
		                     : ERR_OK;
	enum err e = values_of(&c, &img->t, &v, g->args, sizeof g->args, &size, &cfg);
	if (!e)
		g->args_size = (uint32_t)size, g->config_size = (uint32_t)cfg;
	return e;
}

/* The tile in file checked, its types too, into *t. */
static enum err tile_of(const char *name, const void *file, size_t size, struct tile *t, char *why,
                        size_t why_len)
{
	enum err e = tile_check(file, size, name, TILE_ARCH_X86_64, t, why, why_len);

	if (e || (e = image_types(t)) != ERR_OK)
		return e;
	why[0] = 0;
	return ERR_OK;
}

enum err rt_args_encode(const char *name, const void *file, size_t size, unsigned argc,
                        const char *const *argv, uint8_t *msg, size_t *msg_size, char *why,
                        size_t why_len)
{
	struct argcheck c = {name, NULL, why, why_len, NULL};
	struct values v = {argc, argv, NULL, NULL, 0, 0};
	struct tile t;
	size_t cfg;
	enum err e = tile_of(name, file, size, &t, why, why_len);

	return e ? e : values_of(&c, &t, &v, msg, *msg_size, msg_size, &cfg);
}

enum err rt_config_type(const char *name, const void *file, size_t size, struct typed_arena *a,
                        const struct typed_type **ty, char *why, size_t why_len)
{
	struct argcheck c = {name, NULL, why, why_len, NULL};
	struct tile t;
	enum err e = tile_of(name, file, size, &t, why, why_len);

	if (!e)
		e = schema(&t, TILE_SEC_CONFIG, a, ty, &c);
	if (!e && !*ty) {
		mem_strlcpy(why, "it takes no configuration (its tile has no config schema)",
		            why_len);
		e = ERR_NOENT;
	}
	return e;
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

/* ---- Its configuration ---- */

const uint8_t *rt_config_msg(size_t *size)
{
	const struct prog_args *a = rt_args();
	bool ok = a && a->args_size <= PROG_ARGS_BYTES &&
	          a->config_size <= PROG_ARGS_BYTES - a->args_size;

	*size = ok ? a->config_size : 0;
	return ok ? a->args + a->args_size : NULL;
}

void rt_config_begin(struct rt_args_reader *r)
{
	static uint8_t mem[RT_CONFIG_ARENA] __attribute__((aligned(8))); /* not the arguments' */

	typed_arena_init(&r->arena, mem, sizeof mem);
	r->msg = rt_config_msg(&r->size);
	r->err = (struct typed_error){0};
}

void rt_config_end(const struct rt_args_reader *r, enum err e)
{
	char line[TYPED_PATH_MAX + TYPED_MSG_MAX + 8];

	if (!e)
		return;
	typed_error_format(&r->err, NULL, line, sizeof line);
	rt_printf("%s: its configuration is refused: %s%s\n", rt_args() ? rt_args()->name : "?",
	          line[0] ? line : err_str(e), r->size ? "" : " (it was given none)");
	rt_exit(RT_EXIT_ARGS);
}

enum err rt_config_empty(struct rt_args_reader *r, enum err e, const struct typed_type *t,
                         struct typed_value **v)
{
	struct typed_diag d = {keep_first, &r->err, 0};

	return e ? e : typed_text_load(t, "", 0, &r->arena, v, &d);
}
