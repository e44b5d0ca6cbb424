/* Memory and string helpers.  Hosted builds (tools, host tests) get them
 * from the C library; freestanding builds (kernel, loaders) link mem.c,
 * which also provides the memcpy/memset the compiler may call on its own.
 */
#ifndef LIB_STRING_MEM_H
#define LIB_STRING_MEM_H

#include <stddef.h>

#if __STDC_HOSTED__
#include <string.h>
#else
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
#endif

/* Case-insensitive ASCII comparison (FAT names, config keys). */
int mem_strcasecmp(const char *a, const char *b);
int mem_strncasecmp(const char *a, const char *b, size_t n);
/* Copies at most size-1 bytes and always NUL-terminates (size > 0);
 * returns strlen(src). */
size_t mem_strlcpy(char *dst, const char *src, size_t size);

#endif
