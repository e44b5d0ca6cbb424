/* The reason a checker gives with its error: "why" is the caller's buffer
 * (NULL or len 0: no text wanted).  One helper for every parser that
 * explains its refusals (lib/elf, lib/tile, the loaders' relocation). */
#ifndef LIB_FMT_WHY_H
#define LIB_FMT_WHY_H

#include <stdarg.h>
#include <stddef.h>
#include <tessera/err.h>

#include "fmt.h"

/* Writes the formatted reason into why and returns e. */
__attribute__((format(printf, 4, 5))) static inline enum err
fmt_why(char *why, size_t len, enum err e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (why && len)
		fmt_vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return e;
}

#endif
