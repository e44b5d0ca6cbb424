/* tile: makes, shows and verifies tiles (docs/tile.md).
 *
 *   tile convert ELF MANIFEST OUT [--symbols]   lld's output + manifest -> tile
 *   tile show [--all] FILE...                   header, segments, links, manifest
 *   tile verify FILE [--lib LIBRARY]...         checks, then links FILE against
 *                                               the libraries (imports resolved
 *                                               and type-checked, no cycles)
 * Exit status 0, or 1 with a message naming the file and the field.
 */
#include <stdlib.h>
#include <string.h>
#include <tile/tile.h>

#include "model.h"

static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(buf = malloc(n ? (size_t)n + 1 : 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "%s: cannot read\n", path);
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	*size = (size_t)n;
	return buf;
}

static int convert(int argc, char **argv)
{
	struct model m;
	size_t esize, msize, tsize;
	bool symbols = argc == 5 && strcmp(argv[4], "--symbols") == 0;

	if (argc != 4 && !symbols) {
		fprintf(stderr, "usage: tile convert ELF MANIFEST OUT [--symbols]\n");
		return 2;
	}
	uint8_t *elf = slurp(argv[1], &esize), *text = slurp(argv[2], &msize);
	int e = !elf || !text;
	model_init(&m, TILE_KIND_PROGRAM, NULL);
	if (!e)
		e = manifest_read(&m, argv[2], (const char *)text) ||
		    elf_to_model(&m, argv[1], elf, esize, symbols);
	uint8_t *out = e ? NULL : model_write(&m, &tsize);
	if (out) {
		struct tile t;
		char why[256];
		if (tile_check(out, tsize, argv[3], TILE_ARCH_X86_64, &t, why, sizeof why)) {
			fprintf(stderr, "tile: the tile made is refused: %s\n", why);
			e = 1;
		} else if (tile_types_verify(&t)) {
			e = 1;
		}
		FILE *f = e ? NULL : fopen(argv[3], "wb");
		if (!e && (!f || fwrite(out, 1, tsize, f) != tsize || fclose(f))) {
			fprintf(stderr, "%s: cannot write\n", argv[3]);
			e = 1;
		}
	}
	free(out);
	free(elf);
	free(text);
	model_free(&m);
	return e ? 1 : 0;
}

/* The libraries given to verify, checked, found by name. */
struct libs {
	struct tile t[TILE_MAX_LIBRARIES];
	uint8_t *bytes[TILE_MAX_LIBRARIES];
	unsigned n;
};

static const struct tile *find(void *ctx, const char *name)
{
	struct libs *l = ctx;

	for (unsigned i = 0; i < l->n; i++)
		if (strcmp(tile_str(&l->t[i], l->t[i].h.name), name) == 0)
			return &l->t[i];
	return NULL;
}

static int open_tile(const char *path, struct tile *t, uint8_t **bytes)
{
	size_t size;
	char why[256];

	*bytes = slurp(path, &size);
	if (!*bytes)
		return -1;
	if (tile_check(*bytes, size, path, TILE_ARCH_X86_64, t, why, sizeof why)) {
		fprintf(stderr, "%s\n", why);
		return -1;
	}
	return tile_types_verify(t);
}

/* Every import of t against its library. */
static int link_imports(const struct tile *t, struct libs *l)
{
	char why[256];

	for (uint32_t i = 0; i < t->count[TILE_SEC_IMPORTS]; i++) {
		struct tile_import im;
		struct tile_library lib;
		uint64_t value;
		tile_record(t, TILE_SEC_IMPORTS, i, &im);
		tile_record(t, TILE_SEC_LIBRARIES, im.library, &lib);
		const struct tile *from = find(l, tile_str(t, lib.name));
		if (from && tile_import_check(t, i, from, &value, why, sizeof why) == ERR_OK)
			continue;
		if (!from)
			fprintf(stderr, "%s: imports[%u]: no library '%s'\n", t->file_name, i,
			        tile_str(t, lib.name));
		else
			fprintf(stderr, "%s\n", why);
		return -1;
	}
	return 0;
}

static int verify(int argc, char **argv)
{
	static struct libs l;
	struct tile t;
	uint8_t *bytes;
	const struct tile *order[TILE_MAX_LIBRARIES];
	unsigned n;
	char why[256];
	int e = 0;

	if (argc < 2 || (argc % 2) != 0) {
		fprintf(stderr, "usage: tile verify FILE [--lib LIBRARY]...\n");
		return 2;
	}
	for (int i = 2; !e && i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--lib") != 0 || l.n == TILE_MAX_LIBRARIES)
			return fprintf(stderr, "usage: tile verify FILE [--lib LIBRARY]...\n"), 2;
		e = open_tile(argv[i + 1], &l.t[l.n], &l.bytes[l.n]);
		l.n += !e;
	}
	if (!e)
		e = open_tile(argv[1], &t, &bytes);
	if (!e && tile_link_order(&t, find, &l, order, TILE_MAX_LIBRARIES, &n, why, sizeof why)) {
		fprintf(stderr, "%s\n", why);
		e = -1;
	}
	for (unsigned i = 0; !e && i < n; i++)
		e = link_imports(order[i], &l);
	if (!e)
		e = link_imports(&t, &l);
	if (!e)
		printf("%s: ok (%u libraries linked)\n", argv[1], n);
	return e ? 1 : 0;
}

static int show(int argc, char **argv)
{
	bool all = argc > 1 && strcmp(argv[1], "--all") == 0;
	int e = 0;

	for (int i = 1 + all; i < argc; i++) {
		struct tile t;
		uint8_t *bytes;
		if (open_tile(argv[i], &t, &bytes)) {
			e = 1;
			continue;
		}
		tile_show(stdout, &t, all);
		free(bytes);
	}
	return e;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "convert") == 0)
		return convert(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return show(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "verify") == 0)
		return verify(argc - 1, argv + 1);
	fprintf(stderr, "usage: tile convert ELF MANIFEST OUT [--symbols] | tile show [--all] "
	                "FILE... | tile verify FILE [--lib LIBRARY]...\n");
	return 2;
}
