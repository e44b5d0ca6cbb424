/* A FAT32 file system that changes an existing volume over a read-write
 * block device: create, write, truncate, rename, delete, directories,
 * VFAT long names with 8.3 aliases ("NAME~N.EXT"), both FATs and FSInfo
 * kept in step.  Freestanding (lib/string only), no allocation: the
 * caller owns every structure.  Built on the reader (fat.h), whose
 * one-sector cache it keeps coherent.  The file service (user/fs) runs it
 * in ring 3; the host tests run it over files and memory.
 *
 * Crash safety.  Every change is a sequence of single-sector writes in an
 * order such that a cut after any of them leaves a volume whose only
 * faults are lost clusters (allocated, reachable from no entry, or the
 * tail of a chain past its file's size), FAT copies that differ only in
 * such clusters, and a stale FSInfo free count; never a cross-linked
 * cluster, an entry pointing at a free cluster or past its chain, or a
 * damaged directory.  The rules (README.md, "Files"):
 *   - data first: new clusters get their contents while still free;
 *   - then the FAT: the new chain (ending EOC) in every copy, then the
 *     link from the old tail, every copy;
 *   - then publish: the directory entry (first cluster, size) written,
 *     one sector; an entry set (long entries + short entry) never spans
 *     a sector, so it appears and disappears whole;
 *   - removal in reverse: unpublish the entry (or shrink its size) first,
 *     cut the chain, free the clusters last;
 *   - a rename or move unpublishes the old entry before it publishes the
 *     new (in one write when both fit the same sector), so a cut loses
 *     the file into lost clusters rather than linking it twice.
 * FSInfo's free count is recounted at mount, so lost clusters only cost
 * space until fsck reclaims them.
 *
 * Handles (struct fs_node) name an entry by its place; an operation on a
 * handle whose entry was since moved or removed fails with ERR_NOENT.
 * Errors are enum err; fs_msg says which name, cluster or entry.
 * Specification: Microsoft "FAT: General Overview of On-Disk Format" 1.03.
 */
#ifndef LIB_FAT_FS_H
#define LIB_FAT_FS_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#include "blockdev.h"
#include "fat.h"

#define FS_MSG_MAX   160
#define FS_FILE_MAX  0xffffffffu /* bytes: DIR_FileSize is 32 bits */
#define FS_NAME_SLOT 16          /* most entries of one name: one 512-byte sector */

struct fs_vol {
	struct fat_volume fat;  /* layout and the reader's one-sector cache */
	uint32_t fsinfo_sector; /* volume sector of FSInfo; 0: none */
	uint32_t free_count;    /* free clusters, counted at mount */
	uint32_t next_free;     /* where the next allocation search starts */
	int fsinfo_dirty;
	uint16_t date, time;  /* stamped on what is created or written (FAT_DATE) */
	char msg[FS_MSG_MAX]; /* what the last error was about */
	/* sector buffers: a directory sector being edited, one being scanned
	 * (or data being merged), a FAT sector being edited, and a cache of
	 * the FAT sector read last */
	uint64_t fat_edit_sec, fat_cache_sec;
	int fat_edit_ok, fat_cache_ok;
	uint8_t edit[FAT_MAX_SECTOR] __attribute__((aligned(16)));
	uint8_t scan[FAT_MAX_SECTOR] __attribute__((aligned(16)));
	uint8_t fat_edit[FAT_MAX_SECTOR] __attribute__((aligned(16)));
	uint8_t fat_cache[FAT_MAX_SECTOR] __attribute__((aligned(16)));
};

/* A file or directory: where its entry is and what it said. */
struct fs_node {
	uint32_t cluster; /* first cluster; 0: an empty file */
	uint32_t size;    /* bytes; 0 for directories */
	uint8_t attr;     /* FAT_ATTR_* */
	uint32_t dir;     /* first cluster of the directory holding the entry; 0: the root itself */
	uint32_t ent;     /* byte offset of the short entry in that directory */
	uint32_t first;   /* byte offset of the first entry of its set (long entries) */
	uint8_t short_name[11];
};

/* Mounts the FAT32 volume at part_lba (fat_mount's checks), counts its free
 * clusters and reads FSInfo.  Without dev->write every change fails with
 * ERR_PERM. */
enum err fs_mount(struct fs_vol *v, const struct blockdev *dev, uint64_t part_lba);

/* What the last failed call was about ("create 'a.txt' in the directory at
 * cluster 5: already exists"); "" after a success. */
const char *fs_msg(const struct fs_vol *v);

/* The root directory. */
void fs_root(struct fs_vol *v, struct fs_node *root);

/* Resolves a '/'-separated path below dir ("" and "." are dir itself).
 * ".." is refused (ERR_PERM): a handle on a directory reaches only what is
 * below it.  Names match long names and 8.3 aliases, ignoring ASCII case. */
enum err fs_walk(struct fs_vol *v, const struct fs_node *dir, const char *path,
                 struct fs_node *out);

/* Creates an empty file, or a directory (with "." and ".."), named name in
 * dir.  ERR_EXIST when dir holds the name (as a long name or an alias),
 * ERR_NAME when it cannot be a FAT name or needs more than FS_NAME_SLOT
 * entries (names up to 195 characters always fit), ERR_NOSPC, ERR_FULL
 * (65536 entries). */
enum err fs_create(struct fs_vol *v, const struct fs_node *dir, const char *name,
                   struct fs_node *out);
enum err fs_mkdir(struct fs_vol *v, const struct fs_node *dir, const char *name,
                  struct fs_node *out);

/* Reads up to len bytes of file f at off; *done: how many (short at EOF). */
enum err fs_read(struct fs_vol *v, const struct fs_node *f, uint64_t off, void *buf, size_t len,
                 size_t *done);

/* Writes len bytes at off, overwriting and extending (a gap past the end
 * reads as zeros); f follows the new size.  ERR_RANGE past FS_FILE_MAX. */
enum err fs_write(struct fs_vol *v, struct fs_node *f, uint64_t off, const void *buf, size_t len);

/* Sets the size of file f: shrinking frees clusters, growing adds zeros. */
enum err fs_truncate(struct fs_vol *v, struct fs_node *f, uint64_t size);

/* Removes file name from dir (ERR_ISDIR for a directory), or the empty
 * directory name (ERR_NOTDIR for a file, ERR_BUSY when not empty). */
enum err fs_unlink(struct fs_vol *v, const struct fs_node *dir, const char *name);
enum err fs_rmdir(struct fs_vol *v, const struct fs_node *dir, const char *name);

/* Renames from in from_dir to to in to_dir (the same directory or another).
 * ERR_EXIST when to exists (other than from itself, for a change of case),
 * ERR_INVAL when a directory would move below itself. */
enum err fs_rename(struct fs_vol *v, const struct fs_node *from_dir, const char *from,
                   const struct fs_node *to_dir, const char *to);

/* The entry of dir after *cursor (start at 0), skipping "." and ".." and
 * deleted entries; ERR_NOENT after the last.  ent->name is the long name
 * (or the 8.3 one); *node, when not NULL, a handle on it. */
enum err fs_list(struct fs_vol *v, const struct fs_node *dir, uint32_t *cursor,
                 struct fat_dirent *ent, struct fs_node *node);

#endif
