/* Internal to the FAT32 file system (fs_*.c): sector and FAT access,
 * allocation, directory scans and entry sets.  Not an interface. */
#ifndef LIB_FAT_FS_PRIV_H
#define LIB_FAT_FS_PRIV_H

#include "fat_disk.h"
#include "fat_name.h"
#include "fs.h"

#define FS_BATCH 64   /* clusters allocated and linked per step */
#define FS_TAILS 4096 /* numeric tails ~1 .. ~4095 are tracked per basis */

/* Records the error's context in v->msg: "OP 'NAME': WHY (cluster N)",
 * leaving out what is NULL or 0; WHY defaults to err_str(e).  Returns e. */
enum err fs_fail(struct fs_vol *v, enum err e, const char *op, const char *name, const char *why,
                 uint32_t cluster);

/* Volume sectors (relative to the volume's first sector).  Writes keep the
 * reader's cache coherent. */
enum err fs_sec_read(struct fs_vol *v, uint64_t sec, void *buf);
enum err fs_sec_write(struct fs_vol *v, uint64_t sec, const void *buf);
enum err fs_secs_write(struct fs_vol *v, uint64_t sec, uint32_t count, const void *buf);

static inline uint64_t fs_cluster_sec(const struct fs_vol *v, uint32_t c)
{
	return v->fat.data_lba + (uint64_t)(c - 2) * v->fat.sectors_per_cluster;
}

static inline int fs_cluster_ok(const struct fs_vol *v, uint32_t c)
{
	return c >= 2 && c < v->fat.cluster_count + 2u;
}

/* The cluster after c in its chain: 0 at the end.  A free, bad or
 * out-of-range entry inside a chain is ERR_CORRUPT. */
enum err fs_fat_next(struct fs_vol *v, uint32_t c, uint32_t *next);

/* The cluster at index idx of the chain starting at first (ERR_RANGE when
 * the chain is shorter); the chain's length and last cluster.  Walks are
 * bounded by the cluster count (a loop is ERR_CORRUPT). */
enum err fs_chain_at(struct fs_vol *v, uint32_t first, uint32_t idx, uint32_t *cluster);
enum err fs_chain_end(struct fs_vol *v, uint32_t first, uint32_t *len, uint32_t *last);

/* Finds n free clusters (not yet marked); ERR_NOSPC when fewer are free. */
enum err fs_find_free(struct fs_vol *v, uint32_t n, uint32_t *out);

/* Marks c[0..n) as a chain ending in EOC, in every FAT copy. */
enum err fs_chain_write(struct fs_vol *v, const uint32_t *c, uint32_t n);

/* Sets the FAT entry of c to val in every FAT copy. */
enum err fs_fat_set(struct fs_vol *v, uint32_t c, uint32_t val);

/* Frees the chain starting at first, in every copy. */
enum err fs_chain_free(struct fs_vol *v, uint32_t first);

/* Writes FSInfo if the free count or hint changed. */
enum err fs_commit(struct fs_vol *v);

/* Writes n bytes at byte off of cluster c from src (zeros when NULL). */
enum err fs_cluster_put(struct fs_vol *v, uint32_t c, uint32_t off, const uint8_t *src, uint32_t n);

/* Where a directory walk is: the next entry's byte offset, its cluster. */
struct fs_iter {
	uint32_t dir, cluster, off;
	uint64_t sec; /* the sector in v->scan, or UINT64_MAX */
};

/* Starts a walk of directory dir at byte offset off (a multiple of 32). */
enum err fs_iter_start(struct fs_vol *v, struct fs_iter *it, uint32_t dir, uint32_t off);

/* The next 32-byte entry (*raw points into v->scan) and its offset;
 * ERR_NOENT past the end of the chain. */
enum err fs_iter_next(struct fs_vol *v, struct fs_iter *it, const uint8_t **raw, uint32_t *off);

/* A name being looked up or added: as UTF-16, and its 8.3 form. */
struct fs_name {
	const char *utf8;
	uint16_t units[FAT_LFN_MAX_UNITS];
	int len;
	struct fat_name_short sn;
};

/* Checks name and fills n; ERR_NAME (fs_msg says why). */
enum err fs_name_init(struct fs_vol *v, const char *op, const char *name, struct fs_name *n);

/* A directory scan: what is looked for and what was found. */
struct fs_scan {
	/* in */
	const struct fs_name *name; /* looked up (long names and aliases) */
	uint32_t need;              /* free slots wanted in one sector, 0: none */
	uint32_t ignore;            /* short entry offset to pass over, or UINT32_MAX */
	/* out */
	int found;                   /* 1: a long name matched; 2: an alias; 0: neither */
	struct fs_node node;         /* ... this entry */
	uint8_t tails[FS_TAILS / 8]; /* numeric tails of name's basis in use */
	uint32_t free_at;            /* start of a run of need free slots, UINT32_MAX: none */
	uint32_t end_at;             /* the end-of-directory entry, UINT32_MAX: none */
	uint32_t bytes;              /* of the directory's chain */
	uint32_t last;               /* its last cluster */
	uint32_t live;               /* entries besides ".", "..", labels and deleted ones */
};

/* Walks directory dir once, filling s. */
enum err fs_dir_scan(struct fs_vol *v, uint32_t dir, struct fs_scan *s);

/* Finds name in dir (ERR_NOENT, with fs_msg naming op and name). */
enum err fs_dir_find(struct fs_vol *v, const char *op, const struct fs_node *dir, const char *name,
                     struct fs_node *out);

/* A set of entries to publish: long entries then the short one. */
struct fs_set {
	uint8_t raw[FAT_LFN_MAX_ENTRIES + 1][32];
	uint32_t count;
};

/* Picks name's alias (the basis, or the lowest free "~N" from the scan)
 * and builds its set; ERR_FULL when every tail is taken. */
enum err fs_set_build(struct fs_vol *v, struct fs_name *n, const struct fs_scan *s, uint8_t attr,
                      uint32_t cluster, uint32_t size, struct fs_set *set);

/* Entries a name needs: 1, or 1 + its long entries. */
uint32_t fs_name_slots(const struct fs_name *n);

/* Makes room for need slots in one sector of directory dir per the scan:
 * grows the directory by a zeroed cluster when no run is free, and marks
 * end-of-directory entries before the run deleted.  *at: where the run is. */
enum err fs_dir_room(struct fs_vol *v, uint32_t dir, struct fs_scan *s, uint32_t *at);

/* Writes set at byte offset at of dir, one sector write; when old is not
 * NULL, the entries of old (in the same sector) are marked deleted in the
 * same write. */
enum err fs_dir_publish(struct fs_vol *v, uint32_t dir, uint32_t at, const struct fs_set *set,
                        const struct fs_node *old);

/* Marks the entries of node's set deleted: the sector of its short entry
 * first. */
enum err fs_dir_unpublish(struct fs_vol *v, const struct fs_node *node);

/* Rewrites node's short entry with a new first cluster and size (and the
 * write stamp), after checking that it still names node (ERR_NOENT). */
enum err fs_dir_update(struct fs_vol *v, const struct fs_node *node, uint32_t cluster,
                       uint32_t size);

/* The volume sector and byte offset in it of byte off of directory dir. */
enum err fs_dir_locate(struct fs_vol *v, uint32_t dir, uint32_t off, uint64_t *sec, uint32_t *in);

#endif
