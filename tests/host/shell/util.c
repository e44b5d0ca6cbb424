/* lib/shell test helpers (util.h). */
#include "util.h"

#include <fixtures.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEM (4u << 20)
#define OUT (64u << 10)

static char out_buf[OUT];
static size_t out_len;

static void capture(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (out_len + n >= OUT)
		n = OUT - 1 - out_len;
	memcpy(out_buf + out_len, s, n);
	out_len += n;
	out_buf[out_len] = 0;
}

struct shell *t_shell(void)
{
	static void *mem;
	if (!mem)
		mem = malloc(MEM);
	memset(mem, 0xa5, MEM); /* nothing may rely on zeroed memory */
	tshell_fixtures_reset();
	return shell_new(mem, MEM, &tshell_fixtures);
}

const char *t_error(struct shell *sh, const char *src)
{
	struct shell_plan *plan;
	struct shell_error err;
	static char buf[2048];
	if (shell_compile(sh, src, strlen(src), &plan, &err) == ERR_OK)
		return "compiled";
	shell_error_show(src, strlen(src), &err, NULL, buf, sizeof buf);
	return buf;
}

const char *t_run(struct shell *sh, const char *src, uint32_t width)
{
	struct shell_out out = {capture, NULL, width};
	struct shell_plan *plan;
	struct shell_error err;
	char msg[2048];
	out_len = 0;
	out_buf[0] = 0;
	enum err e = shell_compile(sh, src, strlen(src), &plan, &err);
	if (e == ERR_OK)
		e = shell_exec(sh, plan, &out, &err);
	if (e != ERR_OK) {
		shell_error_show(src, strlen(src), &err, NULL, msg, sizeof msg);
		capture(NULL, msg, strlen(msg));
	}
	return out_buf;
}

const char *t_plan(struct shell *sh, const char *src)
{
	struct shell_plan *plan;
	struct shell_error err;
	static char buf[8192];
	if (shell_compile(sh, src, strlen(src), &plan, &err) != ERR_OK)
		return t_error(sh, src);
	shell_plan_text(plan, buf, sizeof buf);
	return buf;
}
