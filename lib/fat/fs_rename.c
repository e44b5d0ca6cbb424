/* FAT32 file system: rename and move.  The old entry set is unpublished
 * before the new one is published, in one sector write when both fit one
 * sector of the same directory; a directory that changes parent gets its
 * ".." rewritten while it is in neither, so a cut leaves it lost, never
 * in two places.  See fs.h.
 */
#include <string/mem.h>

#include "fs_priv.h"

#define NONE      UINT32_MAX
#define MAX_DEPTH 4096 /* directory levels followed up through ".." */

/* The ".." entry of directory c: its sector and the parent it names (the
 * root's cluster for 0). */
static enum err dotdot(struct fs_vol *v, uint32_t c, uint32_t *parent)
{
	struct fat_sfn_entry d;
	enum err e = fs_sec_read(v, fs_cluster_sec(v, c), v->edit);
	if (e != ERR_OK)
		return e;
	memcpy(&d, v->edit + 32, sizeof d);
	if (memcmp(d.name, "..         ", 11) != 0 || !(d.attr & FAT_ATTR_DIRECTORY))
		return fs_fail(v, ERR_CORRUPT, "rename", NULL, "directory without '..'", c);
	*parent = ((uint32_t)d.cluster_hi << 16) | d.cluster_lo;
	if (*parent == 0)
		*parent = v->fat.root_cluster;
	return ERR_OK;
}

/* ERR_INVAL when directory to is dir or below it. */
static enum err not_below(struct fs_vol *v, uint32_t dir, uint32_t to, const char *name)
{
	for (int depth = 0; depth < MAX_DEPTH; depth++) {
		if (to == dir)
			return fs_fail(v, ERR_INVAL, "rename", name,
			               "would move a directory below itself", dir);
		if (to == v->fat.root_cluster)
			return ERR_OK;
		if (!fs_cluster_ok(v, to))
			return fs_fail(v, ERR_CORRUPT, "rename", name, "bad '..'", to);
		enum err e = dotdot(v, to, &to);
		if (e != ERR_OK)
			return e;
	}
	return fs_fail(v, ERR_CORRUPT, "rename", name, "directories nested too deep", to);
}

/* Points the ".." of directory c at parent. */
static enum err set_dotdot(struct fs_vol *v, uint32_t c, uint32_t parent)
{
	uint32_t was;
	enum err e = dotdot(v, c, &was); /* leaves the sector in v->edit */
	if (e != ERR_OK)
		return e;
	if (parent == v->fat.root_cluster)
		parent = 0;
	struct fat_sfn_entry d;
	memcpy(&d, v->edit + 32, sizeof d);
	d.cluster_hi = (uint16_t)(parent >> 16);
	d.cluster_lo = (uint16_t)parent;
	memcpy(v->edit + 32, &d, sizeof d);
	return fs_sec_write(v, fs_cluster_sec(v, c), v->edit);
}

/* The sector holding byte off of directory dir. */
static enum err sector_of(struct fs_vol *v, uint32_t dir, uint32_t off, uint64_t *sec)
{
	uint32_t in;
	return fs_dir_locate(v, dir, off, sec, &in);
}

/* Publishes set for src in to (whose scan is s): in one write with the
 * old set's removal when both fit one sector, else unpublish, fix "..",
 * publish. */
static enum err move(struct fs_vol *v, const struct fs_node *src, uint32_t to, struct fs_scan *s,
                     const struct fs_set *set)
{
	uint64_t a, b, at_sec;
	uint32_t at, old_n = (src->ent - src->first) / 32 + 1;
	enum err e;
	if ((e = sector_of(v, src->dir, src->first, &a)) != ERR_OK ||
	    (e = sector_of(v, src->dir, src->ent, &b)) != ERR_OK)
		return e;
	if (to == src->dir && a == b && set->count <= old_n)
		return fs_dir_publish(v, to, src->first, set, src); /* in place */
	if ((e = fs_dir_room(v, to, s, &at)) != ERR_OK ||
	    (e = sector_of(v, to, at, &at_sec)) != ERR_OK)
		return e;
	if (to == src->dir && a == b && at_sec == a)
		return fs_dir_publish(v, to, at, set, src);
	if ((e = fs_dir_unpublish(v, src)) != ERR_OK)
		return e;
	if ((src->attr & FAT_ATTR_DIRECTORY) && to != src->dir &&
	    (e = set_dotdot(v, src->cluster, to)) != ERR_OK)
		return e;
	return fs_dir_publish(v, to, at, set, NULL);
}

enum err fs_rename(struct fs_vol *v, const struct fs_node *from_dir, const char *from,
                   const struct fs_node *to_dir, const char *to)
{
	struct fs_node src;
	struct fs_name n;
	struct fs_set set;
	v->msg[0] = 0;
	if (!v->fat.dev->write)
		return fs_fail(v, ERR_PERM, "rename", from, "the device is read-only", 0);
	if (!(to_dir->attr & FAT_ATTR_DIRECTORY) || !fs_cluster_ok(v, to_dir->cluster))
		return fs_fail(v, ERR_NOTDIR, "rename", to, "the target is not a directory", 0);
	enum err e = fs_dir_find(v, "rename", from_dir, from, &src);
	if (e == ERR_OK)
		e = fs_name_init(v, "rename", to, &n);
	if (e != ERR_OK)
		return e;
	int same = to_dir->cluster == from_dir->cluster;
	if ((src.attr & FAT_ATTR_DIRECTORY) && !same &&
	    (e = not_below(v, src.cluster, to_dir->cluster, from)) != ERR_OK)
		return e;
	struct fs_scan s = {.name = &n, .need = fs_name_slots(&n), .ignore = same ? src.ent : NONE};
	if ((e = fs_dir_scan(v, to_dir->cluster, &s)) != ERR_OK)
		return e;
	if (s.found)
		return fs_fail(v, ERR_EXIST, "rename", to, "already exists", to_dir->cluster);
	if ((e = fs_set_build(v, &n, &s, src.attr, src.cluster, src.size, &set)) != ERR_OK ||
	    (e = move(v, &src, to_dir->cluster, &s, &set)) != ERR_OK)
		return e;
	return fs_commit(v);
}
