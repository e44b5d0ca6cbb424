/* Small file helpers for the harness. */
#ifndef TOOLS_HARNESS_FILES_H
#define TOOLS_HARNESS_FILES_H

#include <stddef.h>

/* Reads a whole file into a NUL-terminated malloc'd buffer, or NULL. */
char *files_read(const char *path);

/* Copies src to dst (replacing it); 0, or -1 with errno set. */
int files_copy(const char *src, const char *dst);

/* Creates a directory and its parents; 0, or -1 with errno set. */
int files_mkdirs(const char *path);

/* dir/name, or name alone when it is absolute, into buf. */
void files_join(char *buf, size_t size, const char *dir, const char *name);

#endif
