/* typed_args: typed values in user space (lib/typed, typed_args.schema).
 * A command line is checked against the program's schema, carried as a
 * message, decoded into the struct typedc generated, and read as
 * args.cores; a bad one gets the documented message; a configuration text
 * is checked with its line and column.  (Spawn's own checks of a tile's
 * argument schema: tile_spawn.c.)  Ends with 0, or the number of
 * the check that failed (printed). */
#include <rt/rt.h>
#include <string/mem.h>
#include <tessera/bootinfo.h>
#include <typed_args.h>

static unsigned char arena_mem[64 << 10];
static char problem[160];

static void keep(void *ctx, const struct typed_error *e)
{
	if (!problem[0])
		typed_error_format(e, ctx, problem, sizeof problem);
}

static enum err give_log(void *ctx, struct typed_value *cap)
{
	if (strcmp(cap->cap.name, "log") != 0)
		return ERR_NOENT;
	cap->cap.slot = SLOT_LOG;
	return ERR_OK;
}

#define CHECK(n, cond)                                                            \
	do {                                                                      \
		if (!(cond)) {                                                    \
			rt_printf("typed_args: check %d failed: %s\n", n, #cond); \
			return n;                                                 \
		}                                                                 \
	} while (0)

/* A good command line, as the spawner will check it, then as the program
 * reads it. */
static int good(struct typed_arena *a, const struct typed_type *t)
{
	static const char *const argv[] = {"--cores", "4",       "--memory=2M", "--mode",
	                                   "small",   "--log",   "log",         "--files",
	                                   "/a,/b/c", "--limit", "10"};
	struct typed_diag d = {keep, NULL, 0};
	struct typed_value *v;
	struct typed_error err;
	struct typed_args args;
	bool help;
	uint8_t msg[128];
	enum err e;

	CHECK(2, typed_cmdline_parse(t, 11, argv, a, &v, &d, &help) == ERR_OK && !help);
	CHECK(3, typed_each_cap(v, give_log, NULL) == ERR_OK);
	size_t n = typed_encode(v, msg, sizeof msg, &e, &err);
	CHECK(4, e == ERR_OK && n > TYPED_ID_BYTES);
	CHECK(5, typed_args_decode(msg, n, a, &args, &err) == ERR_OK);
	CHECK(6, args.cores == 4 && args.memory == 2u << 20 && args.period == 300000000ull);
	CHECK(7, args.mode == TYPED_ARGS_MODE_SMALL && args.log.slot == SLOT_LOG);
	CHECK(8, args.files.count == 2 && strcmp(args.files.items[1], "/b/c") == 0);
	CHECK(9, args.has_limit && args.limit == 10);
	msg[0] ^= 1; /* another type's identity */
	CHECK(10, typed_args_decode(msg, n, a, &args, &err) == ERR_CORRUPT);
	return 0;
}

static int bad(struct typed_arena *a, const struct typed_type *t)
{
	static const char *const argv[] = {"--cores", "99", "--log", "log"};
	struct typed_diag d = {keep, NULL, 0};
	struct typed_value *v;
	bool help;

	problem[0] = '\0';
	CHECK(11, typed_cmdline_parse(t, 4, argv, a, &v, &d, &help) == ERR_CORRUPT);
	CHECK(12, strcmp(problem, "--cores: 99 is out of range 1..64") == 0);
	rt_printf("typed_args: refused as it should be: %s\n", problem);
	return 0;
}

static int text(struct typed_arena *a)
{
	static const char conf[] = "cores = 2\nlog = log\nperiod = 2s\nfiles = [/x]\n";
	static const char broken[] = "cores = 2\nlog = log\nperiod = 2\n";
	struct typed_diag d = {keep, "typed_args.conf", 0};
	struct typed_args args;

	CHECK(13, typed_args_load(conf, sizeof conf - 1, a, &args, &d) == ERR_OK);
	CHECK(14, args.cores == 2 && args.period == 2000000000ull && !args.has_limit);
	CHECK(15, strcmp(args.log.name, "log") == 0 && args.log.slot == TYPED_SLOT_NONE);
	problem[0] = '\0';
	CHECK(16, typed_args_load(broken, sizeof broken - 1, a, &args, &d) == ERR_CORRUPT);
	CHECK(17, strcmp(problem, "typed_args.conf:3:10: period: expected a duration 1ms..1min "
	                          "(like 300ms: ns us ms s min h), got 2") == 0);
	return 0;
}

int main(void)
{
	struct typed_arena a;
	const struct typed_type *t;
	struct typed_error err;
	int failed;

	typed_arena_init(&a, arena_mem, sizeof arena_mem);
	CHECK(1, typed_args_type(&a, &t, &err) == ERR_OK);
	if ((failed = good(&a, t)) || (failed = bad(&a, t)) || (failed = text(&a)))
		return failed;
	rt_printf("typed_args: %llu-byte descriptor %016llx; arguments, message and text "
	          "checked\n",
	          (unsigned long long)sizeof typed_args_desc, (unsigned long long)TYPED_ARGS_ID);
	return 0;
}
