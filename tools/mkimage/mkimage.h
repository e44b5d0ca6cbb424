/* mkimage: writes a raw GPT disk image whose one partition, an EFI system
 * partition at LBA 2048, holds a FAT32 volume with the given files.
 *
 *   mkimage --out FILE --seed STRING [--size MIB] --file /ESP/PATH=HOSTFILE ...
 *           [--dir /ESP/PATH ...] [--mbr MBR.BIN] [--stage STAGE.BIN]
 *
 * Everything in the image derives from the arguments and the input files
 * (GUIDs and the volume id from the seed, fixed timestamps), so equal
 * inputs give byte-identical images.  The image is written to
 * FILE.tmp.PID and renamed over FILE only when complete.
 */
#ifndef TOOLS_MKIMAGE_MKIMAGE_H
#define TOOLS_MKIMAGE_MKIMAGE_H

#include <fat/gpt.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#define MKIMAGE_DEFAULT_MIB 64
#define MKIMAGE_MAX_MIB     (1024 * 1024) /* 1 TiB: FAT32 with 512-byte sectors tops out at 2 */
#define MKIMAGE_MAX_DEPTH   32            /* directory levels in an ESP path */
#define MKIMAGE_SECTOR      512
#define MKIMAGE_TAIL_BYTES  (GPT_ARRAY_BYTES + MKIMAGE_SECTOR) /* backup array + header */

/* A node of the ESP tree: a directory, or a file copied from the host. */
struct mkimage_node {
	char *name;       /* this path component */
	char *path;       /* the full ESP path, for messages */
	const char *host; /* the host file; NULL for a directory */
	uint64_t size;    /* file size in bytes, from stat */
	uint64_t offset;  /* where a file's content starts in the image */
	struct mkimage_node *parent, *child, *last_child, *next;
	uint32_t cluster; /* a directory's first cluster once written */
};

struct mkimage_opts {
	const char *out, *seed, *mbr, *stage;
	uint64_t size_mib;
	struct mkimage_node root;
};

/* Prints "mkimage: " and a message to stderr. */
void mkimage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Adds ESP path (absolute, '/'-separated) to the tree, as a file of size
 * bytes copied from host or, with host NULL, as a directory.  Checks every
 * component and rejects duplicates; prints the reason and returns -1. */
int mkimage_tree_add(struct mkimage_node *root, const char *path, const char *host, uint64_t size);

/* Frees the nodes below root. */
void mkimage_tree_free(struct mkimage_node *root);

/* Directory entries directory dir needs for its children ("." and "..",
 * or the volume label for the root, included). */
uint32_t mkimage_tree_entries(const struct mkimage_node *dir);

/* What mkimage_build leaves for the output stage to write. */
struct mkimage_layout {
	uint64_t used;          /* bytes from the start that may be nonzero (and the backup GPT) */
	uint32_t cluster_bytes; /* gaps between files shorter than this are padding */
	struct mkimage_node **files; /* nonempty files, by increasing offset */
	size_t nfiles, cap;
};

/* The temporary output file, removed on error or on a fatal signal. */
extern char *mkimage_tmp_path;

/* Lays the whole image out in disk (size bytes, zero-filled), all but the
 * contents of the files, whose places it lists in *lay.  Prints the reason
 * and returns -1 on error. */
int mkimage_build(const struct mkimage_opts *o, uint8_t *disk, uint64_t size,
                  struct mkimage_layout *lay);

/* Writes the image to o->out through a temporary file; prints the reason
 * and returns -1 on error, leaving no output behind. */
int mkimage_write(const struct mkimage_opts *o);

/* Derives 8 pseudo-random bytes from the seed and a purpose label. */
uint64_t mkimage_hash(const char *seed, const char *purpose);

#endif
