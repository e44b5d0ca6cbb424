/* UTF-8 (RFC 3629 §3): a code point as its bytes.  Header-only, for the
 * kernel, loaders, user space and host tools alike. */
#ifndef LIB_STRING_UTF8_H
#define LIB_STRING_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* cp's bytes into out: their count (1..4), or 0 for a surrogate
 * (U+D800..U+DFFF) or anything past U+10FFFF, which UTF-8 cannot hold. */
static inline size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			return 0;
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp > 0x10ffff)
		return 0;
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

#endif
