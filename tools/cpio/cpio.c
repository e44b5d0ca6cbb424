/* The newc cpio writer; see cpio.h. */
#include "cpio.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* File types of the mode field (the same values as POSIX's S_IF*). */
#define MODE_DIR  0040000u
#define MODE_FILE 0100000u
#define MODE_CHR  0020000u
#define PERM_MASK 07777u

#define TRAILER "TRAILER!!!"

void cpio_init(struct cpio *c)
{
	memset(c, 0, sizeof *c);
	c->next_ino = 1;
}

void cpio_free(struct cpio *c)
{
	for (size_t i = 0; i < c->npaths; i++)
		free(c->paths[i]);
	free(c->paths);
	free(c->is_dir);
	free(c->buf);
	cpio_init(c);
}

__attribute__((format(printf, 2, 3))) static int fail(struct cpio *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof c->err, fmt, ap);
	va_end(ap);
	return -1;
}

static int put(struct cpio *c, const void *data, size_t n)
{
	if (c->len + n > c->cap) {
		size_t cap = c->cap ? c->cap : 4096;
		while (cap < c->len + n)
			cap *= 2;
		uint8_t *b = realloc(c->buf, cap);
		if (!b)
			return fail(c, "out of memory for an archive of %zu bytes", c->len + n);
		c->buf = b;
		c->cap = cap;
	}
	memcpy(c->buf + c->len, data, n);
	c->len += n;
	return 0;
}

/* Zeros up to the next multiple of 4 bytes (newc pads names and data). */
static int pad4(struct cpio *c)
{
	static const uint8_t zero[3];
	return put(c, zero, (4 - c->len % 4) % 4);
}

/* The index of path among the entries, or -1. */
static long find(const struct cpio *c, const char *path, size_t len)
{
	for (size_t i = 0; i < c->npaths; i++)
		if (strlen(c->paths[i]) == len && memcmp(c->paths[i], path, len) == 0)
			return (long)i;
	return -1;
}

/* Whether path may be added: relative, no empty, "." or ".." component,
 * not there yet, its parent a directory already added. */
static int check_path(struct cpio *c, const char *path)
{
	size_t len = strlen(path);
	if (len == 0 || len >= CPIO_PATH_MAX)
		return fail(c, "path \"%.64s\": must have 1 to %d characters", path,
		            CPIO_PATH_MAX - 1);
	if (path[0] == '/')
		return fail(c, "path \"%s\": must be relative (the archive's root has no name)",
		            path);
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return fail(c, "path \"%s\": empty, \".\" or \"..\" component", path);
		p += n + (p[n] == '/');
		if (p[-1] == '/' && !*p)
			return fail(c, "path \"%s\": ends with '/'", path);
	}
	if (find(c, path, len) >= 0)
		return fail(c, "path \"%s\": already in the archive", path);
	const char *slash = strrchr(path, '/');
	if (slash) {
		long parent = find(c, path, (size_t)(slash - path));
		if (parent < 0 || !c->is_dir[parent])
			return fail(c,
			            "path \"%s\": its directory \"%.*s\" was not added before it",
			            path, (int)(slash - path), path);
	}
	return 0;
}

static int remember(struct cpio *c, const char *path, int dir)
{
	char **paths = realloc(c->paths, (c->npaths + 1) * sizeof *paths);
	if (paths)
		c->paths = paths;
	uint8_t *is_dir = realloc(c->is_dir, c->npaths + 1);
	if (is_dir)
		c->is_dir = is_dir;
	char *copy = strdup(path);
	if (!paths || !is_dir || !copy) {
		free(copy);
		return fail(c, "out of memory");
	}
	c->paths[c->npaths] = copy;
	c->is_dir[c->npaths++] = (uint8_t)dir;
	return 0;
}

/* One header, its name and data, each padded. */
static int entry(struct cpio *c, const char *name, uint32_t ino, uint32_t mode, uint32_t nlink,
                 uint32_t rmajor, uint32_t rminor, const void *data, size_t size)
{
	char h[CPIO_HEADER_SIZE + 1];
	size_t namesize = strlen(name) + 1;
	int n = snprintf(h, sizeof h, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
	                 ino, mode, 0u, 0u, nlink, 0u, (uint32_t)size, 0u, 0u, rmajor, rminor,
	                 (uint32_t)namesize, 0u);
	if (n != CPIO_HEADER_SIZE)
		return fail(c, "%s: header of %d bytes", name, n);
	if (put(c, h, CPIO_HEADER_SIZE) || put(c, name, namesize) || pad4(c))
		return -1;
	if (size && (put(c, data, size) || pad4(c)))
		return -1;
	return 0;
}

/* Adds a checked entry of type mode. */
static int add(struct cpio *c, const char *path, uint32_t type, uint32_t perm, uint32_t rmajor,
               uint32_t rminor, const void *data, size_t size)
{
	if (c->finished)
		return fail(c, "path \"%s\": the archive is finished", path);
	if (perm & ~PERM_MASK)
		return fail(c, "path \"%s\": permissions %#o are more than 07777", path, perm);
	if (size > CPIO_FILE_MAX)
		return fail(c, "path \"%s\": %zu bytes, more than newc's 4 GiB - 1", path, size);
	if (check_path(c, path) || remember(c, path, type == MODE_DIR))
		return -1;
	uint32_t nlink = type == MODE_DIR ? 2 : 1;
	return entry(c, path, c->next_ino++, type | perm, nlink, rmajor, rminor, data, size);
}

int cpio_add_dir(struct cpio *c, const char *path, uint32_t perm)
{
	return add(c, path, MODE_DIR, perm, 0, 0, NULL, 0);
}

int cpio_add_file(struct cpio *c, const char *path, uint32_t perm, const void *data, size_t size)
{
	return add(c, path, MODE_FILE, perm, 0, 0, data, size);
}

int cpio_add_chardev(struct cpio *c, const char *path, uint32_t perm, uint32_t major,
                     uint32_t minor)
{
	return add(c, path, MODE_CHR, perm, major, minor, NULL, 0);
}

int cpio_finish(struct cpio *c)
{
	if (c->finished)
		return fail(c, "the archive is finished already");
	if (entry(c, TRAILER, 0, 0, 1, 0, 0, NULL, 0))
		return -1;
	c->finished = 1;
	return 0;
}
