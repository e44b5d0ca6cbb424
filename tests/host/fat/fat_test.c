/* Helpers for the FAT/GPT host tests; see fat_test.h. */
#include "fat_test.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[256];

static void remove_tmpdir(void)
{
	char cmd[300];
	if (!tmpdir[0])
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

const char *ft_tmpdir(void)
{
	if (!tmpdir[0]) {
		strcpy(tmpdir, "/tmp/tessera-fat-XXXXXX");
		if (!mkdtemp(tmpdir)) {
			perror("mkdtemp");
			exit(1);
		}
		atexit(remove_tmpdir);
	}
	return tmpdir;
}

char *ft_path(char out[512], const char *name)
{
	snprintf(out, 512, "%s/%s", ft_tmpdir(), name);
	return out;
}

/* Formats a command into a malloc'd string. */
static char *vformat(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	return s;
}

int ft_sh(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = vformat(fmt, ap);
	va_end(ap);
	char *full = NULL;
	if (asprintf(&full, "cd '%s' && ( %s ) 1>&2", ft_tmpdir(), cmd) < 0)
		abort();
	int st = system(full);
	free(cmd);
	free(full);
	return st < 0 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

char *ft_sh_out(int *status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = vformat(fmt, ap);
	va_end(ap);
	char *full = NULL;
	if (asprintf(&full, "cd '%s' && ( %s ) 2>&1", ft_tmpdir(), cmd) < 0)
		abort();
	FILE *p = popen(full, "r");
	size_t len = 0, cap = 4096;
	char *out = malloc(cap);
	if (!p || !out)
		abort();
	size_t n;
	while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2 && !(out = realloc(out, cap *= 2)))
			abort();
	}
	out[len] = 0;
	int st = pclose(p);
	*status = st < 0 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
	free(cmd);
	free(full);
	return out;
}

int ft_mkdir_p(const char *rel)
{
	char p[512];
	ft_path(p, rel);
	size_t base = strlen(ft_tmpdir());
	for (char *s = p + base + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = 0;
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -1;
		if (!c)
			return 0;
		*s = c;
	}
}

uint8_t *ft_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int ft_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = fwrite(data, 1, len, f);
	return fclose(f) == 0 && n == len ? 0 : -1;
}

void ft_random(void *buf, size_t n, uint32_t seed)
{
	uint32_t x = seed ? seed : 1;
	uint8_t *p = buf;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (uint8_t)(x >> 7);
	}
}

/* The read callback of both device kinds. */
static enum err dev_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct ft_dev *d = ctx;
	uint64_t off = lba * d->dev.sector_size, n = (uint64_t)count * d->dev.sector_size;
	d->reads++;
	d->sectors += count;
	if (count > d->max_count)
		d->max_count = count;
	if (off + n > d->bytes || off + n < off)
		return ERR_IO;
	if (d->mem) {
		memcpy(buf, d->mem + off, n);
		return ERR_OK;
	}
	return pread(d->fd, buf, n, (off_t)off) == (ssize_t)n ? ERR_OK : ERR_IO;
}

int ft_dev_file(struct ft_dev *d, const char *path, uint32_t sector_size)
{
	memset(d, 0, sizeof *d);
	d->fd = open(path, O_RDONLY);
	struct stat st;
	if (d->fd < 0 || fstat(d->fd, &st) < 0)
		return -1;
	d->bytes = (uint64_t)st.st_size;
	d->dev = (struct blockdev){.ctx = d,
	                           .sector_size = sector_size,
	                           .sector_count = d->bytes / sector_size,
	                           .read = dev_read};
	return 0;
}

void ft_dev_mem(struct ft_dev *d, uint8_t *mem, uint64_t bytes, uint32_t sector_size)
{
	memset(d, 0, sizeof *d);
	d->fd = -1;
	d->mem = mem;
	d->bytes = bytes;
	d->dev = (struct blockdev){.ctx = d,
	                           .sector_size = sector_size,
	                           .sector_count = bytes / sector_size,
	                           .read = dev_read};
}

void ft_dev_close(struct ft_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

const char *ft_mkimage(void)
{
	static char path[4096];
	const char *env = getenv("MKIMAGE");
	if (env)
		return env;
	if (!path[0]) {
		char self[4096];
		ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
		if (n < 0)
			return "mkimage";
		self[n] = 0;
		snprintf(path, sizeof path, "%s/../bin/mkimage", dirname(self));
	}
	return path;
}
