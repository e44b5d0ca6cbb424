/* FAT32 file system, operations on names and files: walk, create, mkdir,
 * read, write, truncate, unlink, rmdir, list.  Each change follows fs.h's
 * order: data, then the FAT (every copy), then the directory entry; and
 * the reverse to remove.  Renames are in fs_rename.c.
 */
#include <string/mem.h>

#include "fs_priv.h"

#define NONE UINT32_MAX

void fs_root(struct fs_vol *v, struct fs_node *root)
{
	memset(root, 0, sizeof *root);
	root->cluster = v->fat.root_cluster;
	root->attr = FAT_ATTR_DIRECTORY;
}

enum err fs_walk(struct fs_vol *v, const struct fs_node *dir, const char *path, struct fs_node *out)
{
	char comp[4 * FAT_LFN_MAX_UNITS + 1];
	struct fs_node cur = *dir;
	v->msg[0] = 0;
	for (const char *p = path;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		size_t n = 0;
		while (p[n] && p[n] != '/')
			n++;
		if (n >= sizeof comp)
			return fs_fail(v, ERR_NAME, "open", NULL, "a path component is too long",
			               0);
		memcpy(comp, p, n);
		comp[n] = 0;
		p += n;
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, ".."))
			return fs_fail(v, ERR_PERM, "open", path, "'..' leaves the directory given",
			               0);
		enum err e = fs_dir_find(v, "open", &cur, comp, &cur);
		if (e != ERR_OK)
			return e;
	}
	*out = cur;
	return ERR_OK;
}

/* Refuses changes on a read-only device, and to a directory handle that is
 * not one. */
static enum err can_change(struct fs_vol *v, const char *op, const struct fs_node *dir,
                           const char *name)
{
	v->msg[0] = 0;
	if (!v->fat.dev->write)
		return fs_fail(v, ERR_PERM, op, name, "the device is read-only", 0);
	if (dir && (!(dir->attr & FAT_ATTR_DIRECTORY) || !fs_cluster_ok(v, dir->cluster)))
		return fs_fail(v, ERR_NOTDIR, op, name, "the parent is not a directory",
		               dir->cluster);
	return ERR_OK;
}

/* Writes the first cluster of a new directory: "." and ".." (the parent's
 * cluster, 0 for the root), zeros after them. */
static enum err dir_init(struct fs_vol *v, uint32_t c, uint32_t parent)
{
	struct fat_sfn_entry d = {.attr = FAT_ATTR_DIRECTORY,
	                          .create_time = v->time,
	                          .create_date = v->date,
	                          .access_date = v->date,
	                          .write_time = v->time,
	                          .write_date = v->date};
	uint32_t bps = v->fat.bytes_per_sector;
	enum err e = fs_cluster_put(v, c, bps, NULL, v->fat.cluster_bytes - bps);
	if (e != ERR_OK)
		return e;
	memset(v->edit, 0, bps);
	memset(d.name, ' ', 11);
	d.name[0] = '.';
	d.cluster_hi = (uint16_t)(c >> 16);
	d.cluster_lo = (uint16_t)c;
	memcpy(v->edit, &d, 32);
	if (parent == v->fat.root_cluster)
		parent = 0;
	d.name[1] = '.';
	d.cluster_hi = (uint16_t)(parent >> 16);
	d.cluster_lo = (uint16_t)parent;
	memcpy(v->edit + 32, &d, 32);
	return fs_sec_write(v, fs_cluster_sec(v, c), v->edit);
}

/* Creates an entry for a new empty file, or a new directory with its first
 * cluster (written and marked before the entry is published). */
static enum err add(struct fs_vol *v, const char *op, const struct fs_node *dir, const char *name,
                    uint8_t attr, struct fs_node *out)
{
	struct fs_name n;
	struct fs_scan s = {.name = &n, .ignore = NONE};
	struct fs_set set;
	uint32_t c = 0, at;
	enum err e = can_change(v, op, dir, name);
	if (e == ERR_OK)
		e = fs_name_init(v, op, name, &n);
	if (e != ERR_OK)
		return e;
	s.need = fs_name_slots(&n);
	if ((e = fs_dir_scan(v, dir->cluster, &s)) != ERR_OK)
		return e;
	if (s.found)
		return fs_fail(v, ERR_EXIST, op, name, "already exists", dir->cluster);
	uint32_t want = (attr & FAT_ATTR_DIRECTORY ? 1 : 0) + (s.free_at == NONE ? 1 : 0);
	if (want > v->free_count)
		return fs_fail(v, ERR_NOSPC, op, name, NULL, 0);
	if (attr & FAT_ATTR_DIRECTORY) {
		if ((e = fs_find_free(v, 1, &c)) != ERR_OK ||
		    (e = dir_init(v, c, dir->cluster)) != ERR_OK ||
		    (e = fs_chain_write(v, &c, 1)) != ERR_OK)
			return e;
	}
	if ((e = fs_dir_room(v, dir->cluster, &s, &at)) != ERR_OK ||
	    (e = fs_set_build(v, &n, &s, attr, c, 0, &set)) != ERR_OK ||
	    (e = fs_dir_publish(v, dir->cluster, at, &set, NULL)) != ERR_OK)
		return e;
	if (out) {
		memset(out, 0, sizeof *out);
		out->cluster = c;
		out->attr = attr;
		out->dir = dir->cluster;
		out->first = at;
		out->ent = at + (set.count - 1) * 32;
		memcpy(out->short_name, n.sn.name, 11);
	}
	return fs_commit(v);
}

enum err fs_create(struct fs_vol *v, const struct fs_node *dir, const char *name,
                   struct fs_node *out)
{
	return add(v, "create", dir, name, FAT_ATTR_ARCHIVE, out);
}

enum err fs_mkdir(struct fs_vol *v, const struct fs_node *dir, const char *name,
                  struct fs_node *out)
{
	return add(v, "mkdir", dir, name, FAT_ATTR_DIRECTORY, out);
}

enum err fs_read(struct fs_vol *v, const struct fs_node *f, uint64_t off, void *buf, size_t len,
                 size_t *done)
{
	struct fat_file ff = {.vol = &v->fat, .first_cluster = f->cluster, .size = f->size};
	*done = 0;
	v->msg[0] = 0;
	if (f->attr & FAT_ATTR_DIRECTORY)
		return fs_fail(v, ERR_ISDIR, "read", NULL, NULL, f->cluster);
	enum err e = fat_read(&ff, off, buf, len, done);
	if (e != ERR_OK)
		return fs_fail(v, e, "read", NULL, "chain shorter than the size or unreadable",
		               f->cluster);
	return ERR_OK;
}

/* What a write puts in the clusters of a file: zeros over [gap, off), src
 * over [off, end). */
struct put {
	uint64_t gap, off, end;
	const uint8_t *src; /* NULL: zeros throughout */
};

/* Writes the part of p that falls in file cluster idx, held by cluster c. */
static enum err put_cluster(struct fs_vol *v, const struct put *p, uint32_t idx, uint32_t c)
{
	uint64_t cb = v->fat.cluster_bytes, lo = idx * cb, hi = lo + cb;
	uint64_t a = p->gap > lo ? p->gap : lo, b = p->off < hi ? p->off : hi;
	enum err e = ERR_OK;
	if (a < b)
		e = fs_cluster_put(v, c, (uint32_t)(a - lo), NULL, (uint32_t)(b - a));
	a = p->off > lo ? p->off : lo;
	b = p->end < hi ? p->end : hi;
	if (e == ERR_OK && a < b)
		e = fs_cluster_put(v, c, (uint32_t)(a - lo), p->src ? p->src + (a - p->off) : NULL,
		                   (uint32_t)(b - a));
	return e;
}

/* Writes p's bytes into the have clusters the file already holds. */
static enum err put_in_place(struct fs_vol *v, const struct fs_node *f, const struct put *p,
                             uint32_t have)
{
	uint32_t cb = v->fat.cluster_bytes, idx = (uint32_t)(p->gap / cb), c;
	if (idx >= have)
		return ERR_OK;
	enum err e = fs_chain_at(v, f->cluster, idx, &c);
	for (; e == ERR_OK && idx < have && (uint64_t)idx * cb < p->end; idx++) {
		if ((e = put_cluster(v, p, idx, c)) != ERR_OK)
			break;
		if (idx + 1 < have)
			e = fs_fat_next(v, c, &c);
	}
	return e;
}

/* Adds clusters have..need-1 to the file, FS_BATCH at a time: contents,
 * then the batch's chain, then the link from the file's last cluster
 * (*first gets the first one when the file had none). */
static enum err put_new(struct fs_vol *v, const struct put *p, uint32_t have, uint32_t need,
                        uint32_t *first, uint32_t last)
{
	uint32_t batch[FS_BATCH];
	while (have < need) {
		uint32_t n = need - have < FS_BATCH ? need - have : FS_BATCH;
		enum err e = fs_find_free(v, n, batch);
		for (uint32_t i = 0; e == ERR_OK && i < n; i++)
			e = put_cluster(v, p, have + i, batch[i]);
		if (e == ERR_OK)
			e = fs_chain_write(v, batch, n);
		if (e == ERR_OK && last)
			e = fs_fat_set(v, last, batch[0]);
		if (e != ERR_OK)
			return e;
		if (!last)
			*first = batch[0];
		last = batch[n - 1];
		have += n;
	}
	return ERR_OK;
}

/* Writes p into file f (to p->end, extending it) and publishes the size. */
static enum err file_put(struct fs_vol *v, struct fs_node *f, const struct put *p)
{
	uint32_t cb = v->fat.cluster_bytes, have = 0, last = 0, first = f->cluster;
	uint64_t size = p->end > f->size ? p->end : f->size;
	enum err e = can_change(v, "write", NULL, NULL);
	if (e != ERR_OK)
		return e;
	if (f->attr & FAT_ATTR_DIRECTORY)
		return fs_fail(v, ERR_ISDIR, "write", NULL, NULL, f->cluster);
	if (p->end > FS_FILE_MAX)
		return fs_fail(v, ERR_RANGE, "write", NULL, "past 4 GiB - 1", f->cluster);
	if (f->cluster && (e = fs_chain_end(v, f->cluster, &have, &last)) != ERR_OK)
		return e;
	if ((uint64_t)have * cb < f->size)
		return fs_fail(v, ERR_CORRUPT, "write", NULL, "chain shorter than the size",
		               f->cluster);
	uint32_t need = (uint32_t)((size + cb - 1) / cb);
	if (need > have && need - have > v->free_count)
		return fs_fail(v, ERR_NOSPC, "write", NULL, NULL, 0);
	if ((e = put_in_place(v, f, p, have)) != ERR_OK ||
	    (e = put_new(v, p, have, need, &first, last)) != ERR_OK)
		return e;
	if (first != f->cluster || size != f->size) {
		if ((e = fs_dir_update(v, f, first, (uint32_t)size)) != ERR_OK)
			return e;
		f->cluster = first;
		f->size = (uint32_t)size;
	}
	return fs_commit(v);
}

enum err fs_write(struct fs_vol *v, struct fs_node *f, uint64_t off, const void *buf, size_t len)
{
	struct put p = {
	        .gap = off < f->size ? off : f->size, .off = off, .end = off + len, .src = buf};
	if (len == 0)
		return ERR_OK;
	return file_put(v, f, &p);
}

enum err fs_truncate(struct fs_vol *v, struct fs_node *f, uint64_t size)
{
	uint32_t cb = v->fat.cluster_bytes;
	if (size > f->size) {
		struct put p = {.gap = f->size, .off = size, .end = size};
		return file_put(v, f, &p);
	}
	enum err e = can_change(v, "truncate", NULL, NULL);
	if (e != ERR_OK || size == f->size)
		return e;
	if (f->attr & FAT_ATTR_DIRECTORY)
		return fs_fail(v, ERR_ISDIR, "truncate", NULL, NULL, f->cluster);
	uint32_t keep = (uint32_t)((size + cb - 1) / cb), old = f->cluster, tail = old, c = 0;
	if (keep && (e = fs_chain_at(v, old, keep - 1, &c)) == ERR_OK)
		e = fs_fat_next(v, c, &tail);
	if (e != ERR_OK)
		return e;
	/* publish the smaller size first: the rest of the chain is then lost */
	if ((e = fs_dir_update(v, f, keep ? old : 0, (uint32_t)size)) != ERR_OK)
		return e;
	f->cluster = keep ? old : 0;
	f->size = (uint32_t)size;
	if (keep && tail)
		e = fs_fat_set(v, c, FAT32_EOC);
	if (e == ERR_OK && tail)
		e = fs_chain_free(v, tail);
	return e == ERR_OK ? fs_commit(v) : e;
}

/* Removes name from dir: a file (want_dir 0) or an empty directory. */
static enum err remove_entry(struct fs_vol *v, const char *op, const struct fs_node *dir,
                             const char *name, int want_dir)
{
	struct fs_node node;
	enum err e = can_change(v, op, dir, name);
	if (e == ERR_OK)
		e = fs_dir_find(v, op, dir, name, &node);
	if (e != ERR_OK)
		return e;
	int is_dir = !!(node.attr & FAT_ATTR_DIRECTORY);
	if (is_dir != want_dir)
		return fs_fail(v, is_dir ? ERR_ISDIR : ERR_NOTDIR, op, name, NULL, node.cluster);
	if (is_dir) {
		struct fs_scan s = {.ignore = NONE};
		if (!fs_cluster_ok(v, node.cluster))
			return fs_fail(v, ERR_CORRUPT, op, name, "bad first cluster", node.cluster);
		if ((e = fs_dir_scan(v, node.cluster, &s)) != ERR_OK)
			return e;
		if (s.live)
			return fs_fail(v, ERR_BUSY, op, name, "the directory is not empty",
			               node.cluster);
	}
	/* unpublish, then free */
	if ((e = fs_dir_unpublish(v, &node)) != ERR_OK)
		return e;
	if (node.cluster && (e = fs_chain_free(v, node.cluster)) != ERR_OK)
		return e;
	return fs_commit(v);
}

enum err fs_unlink(struct fs_vol *v, const struct fs_node *dir, const char *name)
{
	return remove_entry(v, "unlink", dir, name, 0);
}

enum err fs_rmdir(struct fs_vol *v, const struct fs_node *dir, const char *name)
{
	return remove_entry(v, "rmdir", dir, name, 1);
}

/* Fills ent and node from the short entry d at off (set from first, long
 * name of len units collected in lfn). */
static void list_fill(const struct fat_sfn_entry *d, const struct fat_name_lfn *lfn, int len,
                      struct fat_dirent *ent)
{
	fat_name_short_format(d->name, 0, ent->short_name);
	if (len > 0)
		len = fat_name_to_utf8(lfn->units, (size_t)len, ent->name, sizeof ent->name);
	if (len <= 0)
		fat_name_short_format(d->name, d->nt_case, ent->name);
	ent->attr = d->attr;
	ent->first_cluster = ((uint32_t)d->cluster_hi << 16) | d->cluster_lo;
	ent->size = d->size;
}

enum err fs_list(struct fs_vol *v, const struct fs_node *dir, uint32_t *cursor,
                 struct fat_dirent *ent, struct fs_node *node)
{
	struct fs_iter it;
	struct fat_name_lfn lfn;
	const uint8_t *raw;
	uint32_t off, set_at = 0;
	v->msg[0] = 0;
	if (!(dir->attr & FAT_ATTR_DIRECTORY))
		return fs_fail(v, ERR_NOTDIR, "list", NULL, NULL, dir->cluster);
	fat_name_lfn_reset(&lfn);
	enum err e = fs_iter_start(v, &it, dir->cluster, *cursor);
	while (e == ERR_OK && (e = fs_iter_next(v, &it, &raw, &off)) == ERR_OK) {
		if (raw[0] == FAT_DIRENT_END)
			return ERR_NOENT;
		if (raw[0] == FAT_DIRENT_FREE) {
			fat_name_lfn_reset(&lfn);
			continue;
		}
		if ((raw[11] & FAT_ATTR_LONG_MASK) == FAT_ATTR_LFN) {
			struct fat_lfn_entry l;
			memcpy(&l, raw, sizeof l);
			set_at = (l.ord & FAT_LFN_LAST) ? off : set_at;
			fat_name_lfn_add(&lfn, &l);
			continue;
		}
		struct fat_sfn_entry d;
		memcpy(&d, raw, sizeof d);
		int len = fat_name_lfn_match(&lfn, d.name);
		fat_name_lfn_reset(&lfn);
		if ((d.attr & FAT_ATTR_VOLUME_ID) || d.name[0] == '.')
			continue;
		list_fill(&d, &lfn, len, ent);
		if (node) {
			node->cluster = ent->first_cluster;
			node->attr = d.attr;
			node->size = (d.attr & FAT_ATTR_DIRECTORY) ? 0 : d.size;
			node->dir = dir->cluster;
			node->ent = off;
			node->first = len > 0 ? set_at : off;
			memcpy(node->short_name, d.name, 11);
		}
		*cursor = off + 32;
		return ERR_OK;
	}
	return e;
}
