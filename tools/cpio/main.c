/* mkcpio: writes a newc cpio archive (an initramfs) from a list of entries;
 * see cpio.h and the usage below. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpio.h"

static const char usage[] =
        "usage: mkcpio --out FILE ENTRY...\n"
        "Writes a cpio archive in the newc format (what Linux unpacks as an initramfs),\n"
        "its entries in the order given, each directory before what it holds:\n"
        "  PATH/                  a directory (0755)\n"
        "  PATH=HOSTFILE          a regular file with HOSTFILE's bytes (0755 if HOSTFILE is\n"
        "                         executable by its owner, else 0644)\n"
        "  PATH=char:MAJOR:MINOR  a character device node (0600)\n"
        "PATH is relative to the archive's root (\"dev/console\").\n";

/* The whole of a host file; NULL after saying why. */
static void *slurp(const char *path, size_t *size, struct stat *st)
{
	FILE *f = fopen(path, "rb");
	if (!f || fstat(fileno(f), st) < 0) {
		fprintf(stderr, "mkcpio: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return NULL;
	}
	if (!S_ISREG(st->st_mode)) {
		fprintf(stderr, "mkcpio: %s: not a regular file\n", path);
		fclose(f);
		return NULL;
	}
	*size = (size_t)st->st_size;
	void *data = malloc(*size ? *size : 1);
	if (!data || fread(data, 1, *size, f) != *size) {
		fprintf(stderr, "mkcpio: %s: could not read its %zu bytes\n", path, *size);
		free(data);
		data = NULL;
	}
	fclose(f);
	return data;
}

/* A char:MAJOR:MINOR node; -1 after saying why. */
static int add_node(struct cpio *c, const char *path, const char *spec)
{
	unsigned major, minor;
	int used = 0;
	if (sscanf(spec, "char:%u:%u%n", &major, &minor, &used) != 2 || spec[used]) {
		fprintf(stderr, "mkcpio: %s=%s: expected char:MAJOR:MINOR\n", path, spec);
		return -1;
	}
	return cpio_add_chardev(c, path, 0600, major, minor);
}

/* One ENTRY argument (changed in place); -1 after saying why. */
static int add_entry(struct cpio *c, char *arg)
{
	char *eq = strchr(arg, '=');
	size_t len = strlen(arg);
	if (!eq && len > 1 && arg[len - 1] == '/') {
		arg[len - 1] = 0;
		return cpio_add_dir(c, arg, 0755);
	}
	if (!eq || eq == arg || !eq[1]) {
		fprintf(stderr,
		        "mkcpio: entry \"%s\": expected PATH/, PATH=HOSTFILE or "
		        "PATH=char:MAJOR:MINOR\n",
		        arg);
		return -1;
	}
	*eq = 0;
	if (strncmp(eq + 1, "char:", 5) == 0)
		return add_node(c, arg, eq + 1);
	struct stat st;
	size_t size;
	void *data = slurp(eq + 1, &size, &st);
	if (!data)
		return -1;
	int r = cpio_add_file(c, arg, st.st_mode & S_IXUSR ? 0755 : 0644, data, size);
	free(data);
	return r;
}

/* Writes the archive to out through a temporary file. */
static int write_out(const struct cpio *c, const char *out)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", out, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	int ok = f && fwrite(c->buf, 1, c->len, f) == c->len;
	if (f && fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp, out) < 0) {
		fprintf(stderr, "mkcpio: %s: %s\n", out, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[1], "--out") != 0) {
		fputs(usage, stderr);
		return 2;
	}
	struct cpio c;
	cpio_init(&c);
	int r = 0;
	for (int i = 3; i < argc && !r; i++) {
		c.err[0] = 0;
		r = add_entry(&c, argv[i]);
		if (r && c.err[0])
			fprintf(stderr, "mkcpio: %s\n", c.err);
	}
	if (!r && cpio_finish(&c)) {
		fprintf(stderr, "mkcpio: %s\n", c.err);
		r = -1;
	}
	if (!r)
		r = write_out(&c, argv[2]);
	cpio_free(&c);
	return r ? 1 : 0;
}
