/* The tcfg command line (see cli.h): reads files, reports through the
 * schema checks, writes config.mk through a temporary file and rename. */
#include <errno.h>
#include <json/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tcfg_config.h>
#include <unistd.h>

#include "cli.h"
#include "schema.h"

#define MAX_FILE_SIZE  (1u << 20)
#define MAX_SETS       64
/* lib/typed's memory for one file: its nodes, values and the schema */
#define ARENA_BASE     (256u << 10)
#define ARENA_PER_BYTE 160u

struct options {
	const char *files[256];
	int nfiles;
	const char *sets[MAX_SETS]; /* "key=value" */
	int nsets;
	const char *emit;
};

static void print_diag(void *ctx, const char *msg)
{
	fprintf(ctx, "%s\n", msg);
}

static int usage(FILE *err)
{
	fprintf(err, "usage: tcfg check FILE... [--set KEY=VALUE]... [--emit-make OUT]\n"
	             "  KEY: arch loader firmware machine accel cores memory display\n"
	             "       framebuffer.width framebuffer.height\n");
	return 2;
}

/* Reads a whole file into a malloc'd buffer; NULL with errno set on failure. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(MAX_FILE_SIZE + 1);
	size_t n = buf ? fread(buf, 1, MAX_FILE_SIZE + 1, f) : 0;
	int bad = !buf || ferror(f);
	fclose(f);
	if (bad || n > MAX_FILE_SIZE) {
		free(buf);
		errno = bad ? EIO : EFBIG;
		return NULL;
	}
	*len = n;
	return buf;
}

/* The file as lib/typed's parsed text: JSON (lib/json), or the typed
 * configuration syntax for a NAME.conf; NULL after reporting why. */
static struct typed_node *parse(const char *text, size_t len, struct typed_arena *a,
                                struct tcfg_reporter *r, FILE *err)
{
	size_t n = strlen(r->file);
	struct typed_node *root = NULL;
	if (n > 5 && strcmp(r->file + n - 5, ".conf") == 0) {
		struct typed_error e;
		char line[1024];
		if (typed_text_parse(text, len, a, &root, &e) != ERR_OK) {
			typed_error_format(&e, r->file, line, sizeof line);
			fprintf(err, "%s\n", line);
			r->errors++;
		}
		return root;
	}
	size_t ncap = json_max_nodes(len);
	struct json_node *nodes = malloc(ncap * sizeof *nodes);
	char *strings = malloc(len + 1);
	struct json_doc doc;
	json_init(&doc, nodes, ncap, strings, len + 1);
	if (!nodes || !strings) {
		tcfg_report(r, 0, "out of memory");
	} else if (json_parse(&doc, text, len) != ERR_OK) {
		fprintf(err, "%s:%u:%u: %s\n", r->file, doc.err_line, doc.err_col, doc.err_msg);
		r->errors++;
	} else if (!(root = tcfg_from_json(doc.root, a))) {
		tcfg_report(r, 0, "out of memory");
	}
	free(nodes);
	free(strings);
	return root;
}

/* Parses and checks one file with the overrides applied (silently: they
 * are reported once by the caller); fills cfg; returns the error count. */
static int check_file(const char *path, const struct options *o, struct tcfg_config *cfg, FILE *err)
{
	struct tcfg_reporter r = {print_diag, err, path, 0};
	size_t len;
	char *text = read_file(path, &len);
	if (!text) {
		fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
		return 1;
	}
	size_t arena_size = ARENA_BASE + ARENA_PER_BYTE * len;
	void *mem = malloc(arena_size);
	struct typed_arena arena;
	const struct typed_type *t;
	struct typed_node *root;
	typed_arena_init(&arena, mem, mem ? arena_size : 0);
	if (!mem || !(t = tcfg_type(&arena)))
		tcfg_report(&r, 0, "out of memory");
	else if ((root = parse(text, len, &arena, &r, err)))
		tcfg_check(t, root, o->sets, o->nsets, &arena, cfg, &r);
	free(mem);
	free(text);
	return r.errors;
}

/* Writes text to path through a temporary file and rename, unless path
 * already holds exactly text.  Returns 0, or -1 after printing why. */
static int write_if_changed(const char *path, const char *text, size_t len, FILE *err)
{
	size_t old_len;
	char *old = read_file(path, &old_len);
	int same = old && old_len == len && memcmp(old, text, len) == 0;
	free(old);
	if (same)
		return 0;
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		fprintf(err, "tcfg: cannot write %s: %s\n", tmp, strerror(errno));
		remove(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		fprintf(err, "tcfg: cannot rename %s to %s: %s\n", tmp, path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

/* Parses the arguments after "check"; 0 on success. */
static int parse_args(int argc, char **argv, struct options *o, FILE *err)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--set") == 0 && i + 1 < argc && o->nsets < MAX_SETS) {
			o->sets[o->nsets++] = argv[++i];
		} else if (strncmp(a, "--set=", 6) == 0 && o->nsets < MAX_SETS) {
			o->sets[o->nsets++] = a + 6;
		} else if (strcmp(a, "--emit-make") == 0 && i + 1 < argc) {
			o->emit = argv[++i];
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(err, "tcfg: unknown or incomplete option %s\n", a);
			return -1;
		} else if (o->nfiles < (int)(sizeof o->files / sizeof o->files[0])) {
			o->files[o->nfiles++] = a;
		}
	}
	if (o->nfiles == 0 || (o->emit && o->nfiles != 1)) {
		fprintf(err, "tcfg: %s\n",
		        o->nfiles ? "--emit-make takes exactly one FILE"
		                  : "no configuration file given");
		return -1;
	}
	return 0;
}

int tcfg_main(int argc, char **argv, FILE *err)
{
	struct options o = {0};
	if (argc < 2 || strcmp(argv[1], "check") != 0)
		return usage(err);
	if (parse_args(argc - 2, argv + 2, &o, err) != 0)
		return usage(err);
	struct tcfg_config cfg;
	struct tcfg_reporter cmdline = {print_diag, err, "command line", 0};
	static uint8_t mem[ARENA_BASE];
	struct typed_arena arena;
	typed_arena_init(&arena, mem, sizeof mem);
	const struct typed_type *t = tcfg_type(&arena);
	for (int i = 0; t && i < o.nsets; i++)
		tcfg_check_override(t, o.sets[i], &arena, &cmdline);
	if (!t)
		fprintf(err, "tcfg: out of memory\n");
	int errors = cmdline.errors + !t;
	for (int i = 0; i < o.nfiles; i++)
		errors += check_file(o.files[i], &o, &cfg, err);
	if (errors)
		return 1;
	if (o.emit) {
		char text[4096];
		size_t len = tcfg_emit_make(&cfg, o.files[0], text, sizeof text);
		if (len >= sizeof text || write_if_changed(o.emit, text, len, err) != 0)
			return 1;
	}
	return 0;
}
