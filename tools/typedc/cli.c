/* typedc's commands (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <typed/typed.h>

#include "gen.h"
#include "schema.h"

#define ARENA_BYTES   (64u << 20)
#define MAX_FILE_SIZE (16u << 20)

struct ctx {
	FILE *out, *err;
	const char *file; /* the file problems are in */
	struct typed_arena arena;
	struct schema schema;
};

static void print_problem(void *vctx, const struct typed_error *e)
{
	struct ctx *c = vctx;
	char line[1024];
	typed_error_format(e, c->file, line, sizeof line);
	fprintf(c->err, "%s\n", line);
}

/* Reads a whole file (NUL-terminated) into malloc'd memory; NULL after
 * printing why. */
static char *slurp(struct ctx *c, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = f ? malloc(MAX_FILE_SIZE + 1) : NULL;
	size_t n = buf ? fread(buf, 1, MAX_FILE_SIZE + 1, f) : 0;
	int bad = !f || !buf || ferror(f) || n > MAX_FILE_SIZE;
	int saved = errno;
	if (f)
		fclose(f);
	if (bad) {
		fprintf(c->err, "%s: cannot read: %s\n", path,
		        !f || !buf          ? strerror(saved)
		        : n > MAX_FILE_SIZE ? "larger than 16 MiB"
		                            : "input/output error");
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int load_schema(struct ctx *c, const char *path)
{
	size_t len;
	char *text = slurp(c, path, &len);
	if (!text)
		return 1;
	struct typed_diag d = {print_problem, c, 0};
	c->file = path;
	enum err e = schema_parse(text, len, &c->arena, &c->schema, &d);
	/* the schema's names point into the arena, not into text */
	free(text);
	return e != ERR_OK;
}

static int write_file(struct ctx *c, const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(c->err, "typedc: cannot write %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

static int cmd_header(struct ctx *c, const char *schema, const char *out)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	int rc = !mem || gen_header(&c->schema, schema, mem) != 0;
	if (mem)
		fclose(mem);
	if (rc)
		fprintf(c->err, "typedc: cannot generate the header\n");
	else
		rc = write_file(c, out, text, len);
	free(text);
	return rc;
}

static int cmd_desc(struct ctx *c, const char *out)
{
	enum err e;
	size_t n = typed_desc_encode(c->schema.root, true, NULL, 0, &e);
	uint8_t *buf = malloc(n);
	int rc = !buf;
	if (buf) {
		typed_desc_encode(c->schema.root, true, buf, n, &e);
		rc = write_file(c, out, buf, n);
	}
	free(buf);
	return rc;
}

/* Loads a configuration file as a value of the root type. */
static struct typed_value *load_config(struct ctx *c, const char *path)
{
	size_t len;
	char *text = slurp(c, path, &len);
	struct typed_value *v = NULL;
	if (!text)
		return NULL;
	struct typed_diag d = {print_problem, c, 0};
	c->file = path;
	typed_text_load(c->schema.root, text, len, &c->arena, &v, &d);
	free(text);
	return v;
}

static int cmd_check(struct ctx *c, int n, char **files)
{
	int rc = 0;
	for (int i = 0; i < n; i++)
		rc |= load_config(c, files[i]) == NULL;
	return rc;
}

static int print_value(struct ctx *c, const struct typed_value *v)
{
	size_t n = typed_print(v, NULL, 0);
	char *buf = malloc(n + 1);
	if (!buf)
		return 1;
	typed_print(v, buf, n + 1);
	fputs(buf, c->out);
	free(buf);
	return 0;
}

static int cmd_args(struct ctx *c, int argc, char **argv)
{
	struct typed_diag d = {print_problem, c, 0};
	struct typed_value *v;
	bool help;
	c->file = NULL;
	if (argc && strcmp(argv[0], "--") == 0) {
		argc--;
		argv++;
	}
	if (typed_cmdline_parse(c->schema.root, argc, (const char *const *)argv, &c->arena, &v, &d,
	                        &help) != ERR_OK)
		return 1;
	if (help) {
		fprintf(c->out, "(--help)\n");
		return 0;
	}
	return print_value(c, v);
}

static int cmd_help(struct ctx *c, const char *prog)
{
	size_t n = typed_help(c->schema.root, prog, NULL, 0);
	char *buf = malloc(n + 1);
	if (!buf)
		return 1;
	typed_help(c->schema.root, prog, buf, n + 1);
	fputs(buf, c->out);
	free(buf);
	return 0;
}

/* Capabilities in a file have no slots; an encoded one gets its index
 * among the file's capabilities. */
static enum err number_cap(void *ctx, struct typed_value *cap)
{
	cap->cap.slot = (*(uint32_t *)ctx)++;
	return ERR_OK;
}

static int cmd_encode(struct ctx *c, const char *file, const char *out)
{
	struct typed_value *v = load_config(c, file);
	uint32_t next_slot = 0;
	if (!v)
		return 1;
	typed_each_cap(v, number_cap, &next_slot);
	enum err e;
	struct typed_error err;
	size_t n = typed_encode(v, NULL, 0, &e, &err);
	uint8_t *buf = malloc(n ? n : 1);
	if (!buf || (typed_encode(v, buf, n, &e, &err), e != ERR_OK)) {
		fprintf(c->err, "%s: %s\n", file, buf ? err.msg : "out of memory");
		free(buf);
		return 1;
	}
	int rc = write_file(c, out, buf, n);
	free(buf);
	return rc;
}

static int cmd_decode(struct ctx *c, const char *file)
{
	size_t len;
	char *msg = slurp(c, file, &len);
	struct typed_value *v;
	struct typed_error err;
	if (!msg)
		return 1;
	enum err e = typed_decode(c->schema.root, (const uint8_t *)msg, len, &c->arena, &v, &err);
	free(msg);
	if (e != ERR_OK) {
		char line[1024];
		typed_error_format(&err, file, line, sizeof line);
		fprintf(c->err, "%s\n", line);
		return 1;
	}
	return print_value(c, v);
}

static int usage(FILE *err)
{
	fprintf(err, "usage: typedc header SCHEMA OUT.h | desc SCHEMA OUT | check SCHEMA FILE...\n"
	             "       | args SCHEMA [ARG...] | help SCHEMA PROG | encode SCHEMA FILE OUT\n"
	             "       | decode SCHEMA MSG\n");
	return 2;
}

static int run(struct ctx *c, const char *cmd, int n, char **a)
{
	if (strcmp(cmd, "header") == 0 && n == 1)
		return cmd_header(c, a[-1], a[0]);
	if (strcmp(cmd, "desc") == 0 && n == 1)
		return cmd_desc(c, a[0]);
	if (strcmp(cmd, "check") == 0 && n >= 1)
		return cmd_check(c, n, a);
	if (strcmp(cmd, "args") == 0)
		return cmd_args(c, n, a);
	if (strcmp(cmd, "help") == 0 && n == 1)
		return cmd_help(c, a[0]);
	if (strcmp(cmd, "encode") == 0 && n == 2)
		return cmd_encode(c, a[0], a[1]);
	if (strcmp(cmd, "decode") == 0 && n == 1)
		return cmd_decode(c, a[0]);
	return usage(c->err);
}

int typedc_main(int argc, char **argv, FILE *out, FILE *err)
{
	static const char *const cmds[] = {"header", "desc",   "check",  "args",
	                                   "help",   "encode", "decode", NULL};
	bool known = false;
	for (int i = 0; argc >= 3 && cmds[i]; i++)
		known |= strcmp(argv[1], cmds[i]) == 0;
	if (!known)
		return usage(err);
	struct ctx *c = calloc(1, sizeof *c);
	void *mem = malloc(ARENA_BYTES);
	int rc = 1;
	if (c && mem) {
		c->out = out;
		c->err = err;
		typed_arena_init(&c->arena, mem, ARENA_BYTES);
		rc = load_schema(c, argv[2]);
		if (rc == 0)
			rc = run(c, argv[1], argc - 3, argv + 3);
	}
	free(mem);
	free(c);
	return rc;
}
