/* Fuzz target: lib/fat's FAT32 reader as the loaders use it.  The input is
 * a sparse disk (tests/fuzz/common/sparse.h) holding a volume at LBA 0: it
 * is mounted, every directory is walked (long and 8.3 names), every file is
 * opened by both of its names and read in pieces of several sizes, and the
 * loader's configuration paths are looked up.  Checks what fat.h promises:
 * a read returns the whole requested range up to the file size, names are
 * NUL-terminated, and a name that a directory listed opens.
 */
#include <fat/fat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/sparse.h"

#define MAX_DEPTH    8
#define MAX_ENTRIES  512           /* directory entries looked at per input */
#define MAX_OPENS    24            /* path lookups per input (each walks from /) */
#define MAX_READ     (256u * 1024) /* bytes read per file */
#define MAX_READ_ALL (1024u * 1024)
#define PATH_CAP     1024

struct walk {
	struct fat_volume *vol;
	unsigned entries, opens;
	size_t read_total;
	uint8_t *buf;
};

static void fail(const char *what, const char *path)
{
	fprintf(stderr, "fuzz_fat: %s (%s)\n", what, path);
	abort();
}

/* Reads f from offset 0 in pieces of changing sizes, checking each count. */
static void read_file(struct walk *w, struct fat_file *f, const char *path)
{
	static const size_t pieces[] = {1, 511, 4096, 3, 65536, 513};
	uint64_t off = 0, size = f->size;
	for (unsigned i = 0; off < size && off < MAX_READ && w->read_total < MAX_READ_ALL; i++) {
		size_t want = pieces[i % 6], done = 0;
		enum err e = fat_read(f, off, w->buf, want, &done);
		if (e != ERR_OK)
			return;
		uint64_t expect = size - off < want ? size - off : want;
		if (done != expect)
			fail("fat_read returned a short count inside the file", path);
		off += done;
		w->read_total += done;
	}
	size_t done = 1;
	if (fat_read(f, size, w->buf, 16, &done) == ERR_OK && done != 0)
		fail("fat_read past the end returned bytes", path);
}

static void walk_dir(struct walk *w, const char *path, unsigned depth);

/* Looks at one directory entry: opens it by its long and its short name. */
static void visit(struct walk *w, const char *dir, const struct fat_dirent *ent, unsigned depth)
{
	char path[PATH_CAP], alias[PATH_CAP];
	if (strnlen(ent->name, sizeof ent->name) == sizeof ent->name ||
	    strnlen(ent->short_name, sizeof ent->short_name) == sizeof ent->short_name)
		fail("unterminated name", dir);
	const char *sep = strcmp(dir, "/") ? "/" : "";
	if (snprintf(path, sizeof path, "%s%s%s", dir, sep, ent->name) >= PATH_CAP ||
	    snprintf(alias, sizeof alias, "%s%s%s", dir, sep, ent->short_name) >= PATH_CAP)
		return;
	struct fat_file f;
	if ((ent->attr & FAT_ATTR_DIRECTORY) && depth < MAX_DEPTH)
		walk_dir(w, path, depth + 1);
	if (w->opens >= MAX_OPENS)
		return;
	w->opens += 2;
	enum err e = fat_open(w->vol, path, &f);
	if (e == ERR_NOENT && !strchr(ent->name, '/') && ent->name[0])
		fail("a listed name does not open", path);
	if (e == ERR_OK && !(f.attr & FAT_ATTR_DIRECTORY))
		read_file(w, &f, path);
	if (fat_open(w->vol, alias, &f) == ERR_OK && !(f.attr & FAT_ATTR_DIRECTORY))
		read_file(w, &f, alias);
}

static void walk_dir(struct walk *w, const char *path, unsigned depth)
{
	struct fat_dir dir;
	struct fat_dirent ent;
	if (w->opens >= MAX_OPENS * 2 || fat_dir_open(w->vol, path, &dir) != ERR_OK)
		return;
	w->opens++;
	while (w->entries < MAX_ENTRIES && fat_dir_next(&dir, &ent) == ERR_OK) {
		w->entries++;
		visit(w, path, &ent, depth);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"/boot/limine.conf", "/EFI/BOOT/BOOTX64.EFI",
	                                    "/boot/./tessera.elf", "//boot//modules/motd.txt",
	                                    "/BOOT/LIMINE~1.CON"};
	struct sparse_disk *disk = malloc(sizeof *disk);
	struct fat_volume *vol = malloc(sizeof *vol);
	struct walk w = {.vol = vol, .buf = malloc(65536)};
	if (!disk || !vol || !w.buf)
		abort();
	if (sparse_open(disk, data, size) == 0 && fat_mount(vol, &disk->dev, 0) == ERR_OK) {
		walk_dir(&w, "/", 0);
		for (unsigned i = 0; i < sizeof paths / sizeof paths[0]; i++) {
			struct fat_file f;
			if (fat_open(vol, paths[i], &f) == ERR_OK && !(f.attr & FAT_ATTR_DIRECTORY))
				read_file(&w, &f, paths[i]);
		}
	}
	free(w.buf);
	free(vol);
	free(disk);
	return 0;
}
