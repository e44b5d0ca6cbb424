/* tshell: lib/shell on the host over the fixtures' commands.
 *
 *   tshell                  interactive (line editing, history, Tab) on a
 *                           terminal; lines from stdin otherwise
 *   tshell -c LINE          one line
 *   tshell FILE             a script, checked whole before it runs
 *   --width N               the terminal's width for tables (default: the
 *                           terminal's, or 80)
 *   --plan                  print each plan before running it
 *   --echo                  print "> LINE" before each line's output
 *   --lib TILE              a command library (docs/tile.md §16): its
 *                           signatures, checked as the shell on Tessera
 *                           checks them, come before the fixtures; lines
 *                           are checked against them, but its code runs
 *                           only on Tessera (a call says so).  A refused
 *                           library is named with the field; tshell goes
 *                           on without it.
 * Ctrl-C while a line runs stops it ("cancelled (Ctrl-C)").
 * Exit: 0, 1 after an error (the last line's, for stdin), 2 for usage.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "fixtures.h"

#define SHELL_MEM (32u << 20)
#define LIBS_MAX  8
#define LIB_ARENA (4u << 20)

struct opts {
	uint32_t width;
	bool plan, echo;
	const char *line, *file;
	const char *libs[LIBS_MAX];
	unsigned nlibs;
};

static char *read_file(const char *path, size_t *len);

static volatile sig_atomic_t interrupted;
static bool raw_tty;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* The interpreter's poll (shell_set_cancel): SIGINT, or in raw mode a
 * Ctrl-C byte waiting on the terminal. */
static bool cancelled(void *ctx)
{
	struct pollfd p = {STDIN_FILENO, POLLIN, 0};
	unsigned char b;

	(void)ctx;
	while (raw_tty && poll(&p, 1, 0) == 1 && read(STDIN_FILENO, &b, 1) == 1)
		if (b == 3)
			interrupted = 1;
	if (!interrupted)
		return false;
	interrupted = 0;
	return true;
}

static enum err on_tessera_only(struct shell_call *c)
{
	return shell_call_fail(c, "its library's code runs only on Tessera");
}

/* The --lib tiles' commands, chained before the fixtures. */
static const struct shell_cmds *libraries(const struct opts *o, void **keep)
{
	static struct shell_cmds tables[LIBS_MAX];
	static struct typed_arena a;
	const struct shell_cmds *head = &tshell_fixtures;
	char why[256];

	keep[0] = malloc(LIB_ARENA);
	typed_arena_init(&a, keep[0], LIB_ARENA);
	for (unsigned i = o->nlibs; i-- > 0;) {
		size_t len;
		void *file = keep[i + 1] = read_file(o->libs[i], &len);
		if (!file) {
			fprintf(stderr, "tshell: %s: cannot read it\n", o->libs[i]);
			continue;
		}
		if (shell_cmdlib_load(file, len, o->libs[i], 0, on_tessera_only, NULL, &a,
		                      &tables[i], why, sizeof why)) {
			fprintf(stderr, "tshell: command library refused: %s\n", why);
			continue;
		}
		tables[i].next = head;
		head = &tables[i];
	}
	return head;
}

static void out_write(void *ctx, const char *s, size_t n)
{
	fwrite(s, 1, n, ctx);
}

static int usage(void)
{
	fprintf(stderr,
	        "usage: tshell [--width N] [--plan] [--echo] [--lib TILE]... [-c LINE | FILE]\n");
	return 2;
}

/* Compiles and runs src; errors to stderr with a caret.  0 or 1. */
static int run(struct shell *sh, const struct opts *o, const char *src, size_t len,
               const char *name)
{
	struct shell_out out = {out_write, stdout, o->width};
	struct shell_plan *plan;
	struct shell_error err;
	char msg[2048];
	enum err e = shell_compile(sh, src, len, &plan, &err);
	if (e == ERR_OK && o->plan) {
		size_t n = shell_plan_text(plan, NULL, 0);
		char *text = malloc(n + 1);
		shell_plan_text(plan, text, n + 1);
		fputs(text, stdout);
		free(text);
	}
	if (e == ERR_OK)
		e = shell_exec(sh, plan, &out, &err);
	fflush(stdout);
	if (e == ERR_OK)
		return 0;
	shell_error_show(src, len, &err, name, msg, sizeof msg);
	fputs(msg, stderr);
	return 1;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (n == cap && !(buf = realloc(buf, cap = cap ? 2 * cap : 4096)))
			break;
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	*len = n;
	return buf;
}

static int lines(struct shell *sh, const struct opts *o)
{
	char line[4096];
	int rc = 0;
	while (fgets(line, sizeof line, stdin)) {
		size_t n = strcspn(line, "\n");
		line[n] = 0;
		if (o->echo) {
			printf("> %s\n", line);
			fflush(stdout);
		}
		rc = run(sh, o, line, n, NULL);
		if (o->echo)
			fflush(stderr);
	}
	return rc;
}

static void term_write(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (write(STDOUT_FILENO, s, n) < 0)
		return;
}

/* Raw mode, the line editor; results written with \r\n. */
static int interactive(struct shell *sh, const struct opts *o)
{
	static struct shell_edit ed;
	struct termios old, raw;
	struct shell_out out = {term_write, NULL, o->width};
	tcgetattr(STDIN_FILENO, &old);
	raw = old;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
	raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
	raw.c_oflag |= OPOST | ONLCR;
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	raw_tty = true;
	shell_edit_init(&ed, &out, sh, "> ");
	printf("tshell: Tab completes, help lists the commands, Ctrl-D ends.\r\n");
	fflush(stdout);
	shell_edit_start(&ed);
	unsigned char b;
	while (read(STDIN_FILENO, &b, 1) == 1) {
		enum shell_edit_event ev = shell_edit_feed(&ed, b);
		if (ev == SHELL_EDIT_EOF)
			break;
		if (ev == SHELL_EDIT_LINE)
			run(sh, o, ed.line, ed.len, NULL);
		if (ev != SHELL_EDIT_NONE)
			shell_edit_start(&ed);
	}
	tcsetattr(STDIN_FILENO, TCSANOW, &old);
	printf("\n");
	return 0;
}

static bool parse_opts(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--width") && i + 1 < argc) {
			o->width = (uint32_t)strtoul(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--plan")) {
			o->plan = true;
		} else if (!strcmp(argv[i], "--echo")) {
			o->echo = true;
		} else if (!strcmp(argv[i], "--lib") && i + 1 < argc && o->nlibs < LIBS_MAX) {
			o->libs[o->nlibs++] = argv[++i];
		} else if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			o->line = argv[++i];
		} else if (argv[i][0] != '-' && !o->file) {
			o->file = argv[i];
		} else {
			return false;
		}
	}
	return !(o->line && o->file);
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	struct winsize ws;
	if (!parse_opts(argc, argv, &o))
		return usage();
	if (!o.width)
		o.width = ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 80;
	void *keep[LIBS_MAX + 1] = {0};
	void *mem = malloc(SHELL_MEM);
	struct shell *sh = shell_new(mem, SHELL_MEM, libraries(&o, keep));
	int rc;

	shell_set_cancel(sh, cancelled, NULL);
	signal(SIGINT, on_sigint);
	if (o.line) {
		rc = run(sh, &o, o.line, strlen(o.line), NULL);
	} else if (o.file) {
		size_t len;
		char *src = read_file(o.file, &len);
		if (!src) {
			fprintf(stderr, "tshell: %s: cannot read it\n", o.file);
			for (unsigned i = 0; i <= LIBS_MAX; i++)
				free(keep[i]);
			free(mem);
			return 1;
		}
		rc = run(sh, &o, src, len, o.file);
		free(src);
	} else {
		rc = isatty(STDIN_FILENO) ? interactive(sh, &o) : lines(sh, &o);
	}
	for (unsigned i = 0; i <= LIBS_MAX; i++)
		free(keep[i]);
	free(mem);
	return rc;
}
