/* A writer of cpio archives in the "newc" format (ASCII headers, magic
 * 070701), the format the Linux kernel unpacks as an initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst).  The
 * archive is built in memory; every entry is owned by root, dated 0 and
 * numbered in order, so the same entries give the same bytes. */
#ifndef TOOLS_CPIO_CPIO_H
#define TOOLS_CPIO_CPIO_H

#include <stddef.h>
#include <stdint.h>

#define CPIO_HEADER_SIZE 110 /* "070701" and 13 fields of 8 hex digits */
#define CPIO_PATH_MAX    1024
#define CPIO_FILE_MAX    0xffffffffu /* the size field has 8 hex digits */

struct cpio {
	uint8_t *buf; /* the archive so far */
	size_t len, cap;
	uint32_t next_ino;
	char **paths; /* every entry added, to refuse duplicates */
	uint8_t *is_dir;
	size_t npaths;
	int finished;
	char err[CPIO_PATH_MAX + 128]; /* why the last call failed */
};

/* An empty archive. */
void cpio_init(struct cpio *c);
/* Frees what the archive holds. */
void cpio_free(struct cpio *c);

/* Each adds one entry at path (relative: "dev/console", no "." or ".."
 * component, no empty one) whose parent directory was added before (or
 * which is at the top).  0, or -1 with the reason in c->err. */
int cpio_add_dir(struct cpio *c, const char *path, uint32_t perm);
int cpio_add_file(struct cpio *c, const char *path, uint32_t perm, const void *data, size_t size);
int cpio_add_chardev(struct cpio *c, const char *path, uint32_t perm, uint32_t major,
                     uint32_t minor);

/* Ends the archive with its trailer; nothing can be added after. */
int cpio_finish(struct cpio *c);

#endif
