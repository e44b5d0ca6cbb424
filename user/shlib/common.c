/* Helpers every command library links (shlib.h). */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "shlib.h"

enum err shlib_fail(struct shell_call *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(c->msg, sizeof c->msg, fmt, ap);
	va_end(ap);
	return ERR_INVAL;
}

bool shlib_str(struct shell_call *c, struct typed_value *v, const char *s, size_t n)
{
	char *p = shlib_host(c)->alloc(c->arena, n + 1);

	if (!p)
		return false;
	memcpy(p, s, n);
	p[n] = 0;
	v->str.s = p;
	v->str.len = (uint32_t)n;
	return true;
}

enum err shlib_no_init(struct shell_call *c, enum err e)
{
	return e == ERR_INVAL ? shlib_fail(c, "cancelled (Ctrl-C)")
	                      : shlib_fail(c, "init cannot be asked: %s", err_str(e));
}
