/* FAT32 file system, directory half: walking a directory with entry
 * offsets, name lookup (long names and aliases), alias choice, entry sets
 * placed inside one sector, growing a directory, publishing, unpublishing
 * and updating entries.  See fs.h for the order these writes follow.
 * Specification: Microsoft "FAT: General Overview of On-Disk Format" 1.03,
 * "FAT Directory Structure", "FAT Long Directory Entries".
 */
#include <string/mem.h>

#include "fs_priv.h"

#define NONE UINT32_MAX

enum err fs_dir_locate(struct fs_vol *v, uint32_t dir, uint32_t off, uint64_t *sec, uint32_t *in)
{
	uint32_t c, cb = v->fat.cluster_bytes, bps = v->fat.bytes_per_sector;
	enum err e = fs_chain_at(v, dir, off / cb, &c);
	if (e == ERR_RANGE)
		return fs_fail(v, ERR_CORRUPT, "directory", NULL, "entry past its chain", dir);
	if (e != ERR_OK)
		return e;
	*sec = fs_cluster_sec(v, c) + off % cb / bps;
	*in = off % bps;
	return ERR_OK;
}

enum err fs_iter_start(struct fs_vol *v, struct fs_iter *it, uint32_t dir, uint32_t off)
{
	it->dir = dir;
	it->off = off;
	it->sec = UINT64_MAX;
	if (off >= FAT_DIR_MAX_BYTES)
		return ERR_NOENT;
	enum err e = fs_chain_at(v, dir, off / v->fat.cluster_bytes, &it->cluster);
	return e == ERR_RANGE ? ERR_NOENT : e;
}

enum err fs_iter_next(struct fs_vol *v, struct fs_iter *it, const uint8_t **raw, uint32_t *off)
{
	uint32_t cb = v->fat.cluster_bytes, bps = v->fat.bytes_per_sector;
	if (it->off >= FAT_DIR_MAX_BYTES)
		return ERR_NOENT;
	if (it->off % cb == 0 && it->off && it->sec != UINT64_MAX) {
		uint32_t next; /* crossed into the next cluster */
		enum err e = fs_fat_next(v, it->cluster, &next);
		if (e != ERR_OK)
			return e;
		if (!next)
			return ERR_NOENT;
		it->cluster = next;
	}
	uint64_t sec = fs_cluster_sec(v, it->cluster) + it->off % cb / bps;
	if (sec != it->sec) {
		it->sec = UINT64_MAX;
		enum err e = fs_sec_read(v, sec, v->scan);
		if (e != ERR_OK)
			return e;
		it->sec = sec;
	}
	*raw = v->scan + it->off % bps;
	*off = it->off;
	it->off += 32;
	return ERR_OK;
}

enum err fs_name_init(struct fs_vol *v, const char *op, const char *name, struct fs_name *n)
{
	const char *why = fat_name_check(name);
	if (why)
		return fs_fail(v, ERR_NAME, op, name, why, 0);
	n->utf8 = name;
	n->len = fat_name_from_utf8(name, strlen(name), n->units, FAT_LFN_MAX_UNITS);
	fat_name_basis(n->units, n->len, &n->sn);
	return ERR_OK;
}

uint32_t fs_name_slots(const struct fs_name *n)
{
	return n->sn.exact ? 1 : 1 + (uint32_t)(n->len + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS;
}

/* Whether units[0..len) equal n's name, ignoring ASCII case. */
static int same_name(const struct fs_name *n, const uint16_t *units, int len)
{
	if (len != n->len)
		return 0;
	for (int i = 0; i < len; i++)
		if (fat_name_upper(units[i]) != fat_name_upper(n->units[i]))
			return 0;
	return 1;
}

/* Fills a handle from a short entry at off in dir, its set from first. */
static void make_node(struct fs_node *node, const struct fat_sfn_entry *d, uint32_t dir,
                      uint32_t off, uint32_t first)
{
	node->cluster = ((uint32_t)d->cluster_hi << 16) | d->cluster_lo;
	node->attr = d->attr;
	node->size = (d->attr & FAT_ATTR_DIRECTORY) ? 0 : d->size;
	node->dir = dir;
	node->ent = off;
	node->first = first;
	memcpy(node->short_name, d->name, 11);
}

/* Compares one live short entry (and the long name before it) with the
 * name looked up, and notes the alias tails in use. */
static void note_entry(struct fs_scan *s, const struct fat_sfn_entry *d, const uint16_t *lfn,
                       int lfn_len, uint32_t dir, uint32_t off, uint32_t first)
{
	const struct fs_name *n = s->name;
	if (!n)
		return;
	uint32_t k = fat_name_tail_of(&n->sn, d->name);
	if (k && k < FS_TAILS)
		s->tails[k / 8] |= (uint8_t)(1u << (k % 8));
	uint16_t sunits[13];
	char shown[13];
	fat_name_short_format(d->name, 0, shown);
	int slen = 0;
	for (; shown[slen]; slen++)
		sunits[slen] = (uint8_t)shown[slen];
	if (s->found != 1 && lfn_len > 0 && same_name(n, lfn, lfn_len)) {
		s->found = 1;
		make_node(&s->node, d, dir, off, first);
	} else if (!s->found && same_name(n, sunits, slen)) {
		s->found = 2;
		make_node(&s->node, d, dir, off, first);
	}
}

/* Tracks runs of free slots inside one sector before the end marker. */
static void note_free(struct fs_vol *v, struct fs_scan *s, uint32_t off, int is_free,
                      uint32_t *run_at, uint32_t *run)
{
	if (off % v->fat.bytes_per_sector == 0)
		*run = 0;
	if (!is_free) {
		*run = 0;
		return;
	}
	if ((*run)++ == 0)
		*run_at = off;
	if (s->need && *run >= s->need && s->free_at == NONE)
		s->free_at = *run_at;
}

/* Where need slots fit in one sector at or after the end marker, given the
 * chain's size; NONE when the directory must grow. */
static uint32_t place_at_end(struct fs_vol *v, const struct fs_scan *s)
{
	uint32_t per = v->fat.bytes_per_sector / 32, slot = s->end_at / 32;
	if (s->end_at == NONE)
		return NONE;
	if (per - slot % per >= s->need)
		return s->end_at;
	uint32_t next = (slot / per + 1) * per * 32;
	return next + s->need * 32 <= s->bytes ? next : NONE;
}

/* One entry of the scan: a long entry joins the set being collected; a
 * short one ends it. */
static void scan_entry(struct fs_scan *s, const uint8_t *raw, uint32_t off,
                       struct fat_name_lfn *lfn, uint32_t *set_at, uint32_t dir)
{
	if (raw[0] == FAT_DIRENT_FREE) {
		fat_name_lfn_reset(lfn);
		return;
	}
	if ((raw[11] & FAT_ATTR_LONG_MASK) == FAT_ATTR_LFN) {
		struct fat_lfn_entry l;
		memcpy(&l, raw, sizeof l);
		if (l.ord & FAT_LFN_LAST)
			*set_at = off;
		fat_name_lfn_add(lfn, &l);
		return;
	}
	struct fat_sfn_entry d;
	memcpy(&d, raw, sizeof d);
	int len = fat_name_lfn_match(lfn, d.name);
	if (!(d.attr & FAT_ATTR_VOLUME_ID) && d.name[0] != '.' && off != s->ignore) {
		s->live++;
		note_entry(s, &d, lfn->units, len, dir, off, len > 0 ? *set_at : off);
	}
	fat_name_lfn_reset(lfn);
}

enum err fs_dir_scan(struct fs_vol *v, uint32_t dir, struct fs_scan *s)
{
	struct fs_iter it;
	struct fat_name_lfn lfn;
	uint32_t set_at = 0, run_at = 0, run = 0, off;
	const uint8_t *raw;
	s->found = 0;
	s->free_at = s->end_at = NONE;
	s->live = 0;
	memset(s->tails, 0, sizeof s->tails);
	fat_name_lfn_reset(&lfn);
	enum err e = fs_iter_start(v, &it, dir, 0);
	while (e == ERR_OK && s->end_at == NONE &&
	       (e = fs_iter_next(v, &it, &raw, &off)) == ERR_OK) {
		if (raw[0] == FAT_DIRENT_END) {
			s->end_at = off;
			break;
		}
		note_free(v, s, off, raw[0] == FAT_DIRENT_FREE, &run_at, &run);
		scan_entry(s, raw, off, &lfn, &set_at, dir);
	}
	if (e != ERR_OK && e != ERR_NOENT)
		return e;
	uint32_t n;
	if ((e = fs_chain_end(v, dir, &n, &s->last)) != ERR_OK)
		return e;
	uint64_t bytes = (uint64_t)n * v->fat.cluster_bytes;
	s->bytes = bytes > FAT_DIR_MAX_BYTES ? FAT_DIR_MAX_BYTES : (uint32_t)bytes;
	if (s->need && s->free_at == NONE)
		s->free_at = place_at_end(v, s);
	return ERR_OK;
}

enum err fs_dir_find(struct fs_vol *v, const char *op, const struct fs_node *dir, const char *name,
                     struct fs_node *out)
{
	struct fs_name n;
	struct fs_scan s = {.name = &n, .ignore = NONE};
	if (!(dir->attr & FAT_ATTR_DIRECTORY))
		return fs_fail(v, ERR_NOTDIR, op, name, "the parent is not a directory", 0);
	enum err e = fs_name_init(v, op, name, &n);
	if (e == ERR_OK)
		e = fs_dir_scan(v, dir->cluster, &s);
	if (e != ERR_OK)
		return e;
	if (!s.found)
		return fs_fail(v, ERR_NOENT, op, name, "no such file or directory", dir->cluster);
	*out = s.node;
	return ERR_OK;
}

enum err fs_set_build(struct fs_vol *v, struct fs_name *n, const struct fs_scan *s, uint8_t attr,
                      uint32_t cluster, uint32_t size, struct fs_set *set)
{
	if (!n->sn.fits) {
		uint32_t k = 1;
		while (k < FS_TAILS && (s->tails[k / 8] & (1u << (k % 8))))
			k++;
		if (k == FS_TAILS)
			return fs_fail(v, ERR_FULL, "name", n->utf8, "every alias tail is taken",
			               0);
		fat_name_set_tail(&n->sn, k);
	}
	uint32_t lfns = fs_name_slots(n) - 1;
	uint8_t sum = fat_name_checksum(n->sn.name);
	for (uint32_t i = 0; i < lfns; i++) {
		uint32_t ord = lfns - i; /* the last piece of the name is stored first */
		uint16_t units[FAT_LFN_CHARS];
		for (int k = 0; k < FAT_LFN_CHARS; k++) {
			int at = (int)(ord - 1) * FAT_LFN_CHARS + k;
			units[k] = at < n->len ? n->units[at] : at == n->len ? 0 : 0xffff;
		}
		struct fat_lfn_entry l = {.ord = (uint8_t)(ord | (i == 0 ? FAT_LFN_LAST : 0)),
		                          .attr = FAT_ATTR_LFN,
		                          .checksum = sum};
		fat_name_lfn_put(&l, units);
		memcpy(set->raw[i], &l, 32);
	}
	struct fat_sfn_entry d = {.attr = attr,
	                          .create_time = v->time,
	                          .create_date = v->date,
	                          .access_date = v->date,
	                          .cluster_hi = (uint16_t)(cluster >> 16),
	                          .write_time = v->time,
	                          .write_date = v->date,
	                          .cluster_lo = (uint16_t)cluster,
	                          .size = size};
	memcpy(d.name, n->sn.name, 11);
	memcpy(set->raw[lfns], &d, 32);
	set->count = lfns + 1;
	return ERR_OK;
}

/* Marks the end-of-directory entries in [from, to) of dir deleted, so that
 * entries published at to are not hidden behind an end marker. */
static enum err pad(struct fs_vol *v, uint32_t dir, uint32_t from, uint32_t to)
{
	uint32_t bps = v->fat.bytes_per_sector;
	while (from < to) {
		uint64_t sec;
		uint32_t in;
		enum err e = fs_dir_locate(v, dir, from, &sec, &in);
		if (e != ERR_OK || (e = fs_sec_read(v, sec, v->edit)) != ERR_OK)
			return e;
		for (; in < bps && from < to; in += 32, from += 32)
			if (v->edit[in] == FAT_DIRENT_END)
				v->edit[in] = FAT_DIRENT_FREE;
		if ((e = fs_sec_write(v, sec, v->edit)) != ERR_OK)
			return e;
	}
	return ERR_OK;
}

/* Adds a zeroed cluster to the end of directory dir: contents, then its
 * FAT entry, then the link from the old last cluster. */
static enum err grow(struct fs_vol *v, uint32_t dir, struct fs_scan *s)
{
	uint32_t c;
	if (s->bytes + v->fat.cluster_bytes > FAT_DIR_MAX_BYTES)
		return fs_fail(v, ERR_FULL, "directory", NULL, "65536 entries", dir);
	enum err e = fs_find_free(v, 1, &c);
	if (e == ERR_OK)
		e = fs_cluster_put(v, c, 0, NULL, v->fat.cluster_bytes);
	if (e == ERR_OK)
		e = fs_chain_write(v, &c, 1);
	if (e == ERR_OK)
		e = fs_fat_set(v, s->last, c);
	if (e != ERR_OK)
		return e;
	s->last = c;
	s->bytes += v->fat.cluster_bytes;
	return ERR_OK;
}

enum err fs_dir_room(struct fs_vol *v, uint32_t dir, struct fs_scan *s, uint32_t *at)
{
	enum err e;
	if (s->need > v->fat.bytes_per_sector / 32)
		return fs_fail(v, ERR_NAME, "name", s->name ? s->name->utf8 : NULL,
		               "needs more entries than one sector holds", 0);
	if (s->free_at == NONE) {
		uint32_t old = s->bytes;
		if ((e = grow(v, dir, s)) != ERR_OK)
			return e;
		if (s->end_at == NONE)
			s->end_at = old;
		s->free_at = old;
	}
	if (s->end_at != NONE && s->free_at > s->end_at) {
		if ((e = pad(v, dir, s->end_at, s->free_at)) != ERR_OK)
			return e;
	}
	*at = s->free_at;
	return ERR_OK;
}

enum err fs_dir_publish(struct fs_vol *v, uint32_t dir, uint32_t at, const struct fs_set *set,
                        const struct fs_node *old)
{
	uint64_t sec, osec;
	uint32_t in, oin, bps = v->fat.bytes_per_sector;
	enum err e = fs_dir_locate(v, dir, at, &sec, &in);
	if (e != ERR_OK)
		return e;
	if (in + set->count * 32 > bps)
		return fs_fail(v, ERR_INVAL, "publish", NULL, "entry set would span sectors", dir);
	if ((e = fs_sec_read(v, sec, v->edit)) != ERR_OK)
		return e;
	if (old) {
		if ((e = fs_dir_locate(v, old->dir, old->first, &osec, &oin)) != ERR_OK)
			return e;
		if (osec != sec || oin + (old->ent - old->first) + 32 > bps)
			return fs_fail(v, ERR_INVAL, "publish", NULL, "old set in another sector",
			               dir);
		for (uint32_t o = oin; o <= oin + (old->ent - old->first); o += 32)
			v->edit[o] = FAT_DIRENT_FREE;
	}
	memcpy(v->edit + in, set->raw, set->count * 32);
	return fs_sec_write(v, sec, v->edit);
}

enum err fs_dir_unpublish(struct fs_vol *v, const struct fs_node *node)
{
	uint32_t off = node->ent;
	/* sector by sector, from the short entry's back to the first long one */
	for (;;) {
		uint64_t sec;
		uint32_t in;
		enum err e = fs_dir_locate(v, node->dir, off, &sec, &in);
		if (e != ERR_OK || (e = fs_sec_read(v, sec, v->edit)) != ERR_OK)
			return e;
		v->edit[in] = FAT_DIRENT_FREE;
		while (off > node->first && in > 0) {
			in -= 32;
			off -= 32;
			v->edit[in] = FAT_DIRENT_FREE;
		}
		if ((e = fs_sec_write(v, sec, v->edit)) != ERR_OK)
			return e;
		if (off <= node->first)
			return ERR_OK;
		off -= 32;
	}
}

enum err fs_dir_update(struct fs_vol *v, const struct fs_node *node, uint32_t cluster,
                       uint32_t size)
{
	uint64_t sec;
	uint32_t in;
	struct fat_sfn_entry d;
	if (!node->dir && node->cluster == v->fat.root_cluster)
		return fs_fail(v, ERR_ISDIR, "update", NULL, "the root has no entry", 0);
	enum err e = fs_dir_locate(v, node->dir, node->ent, &sec, &in);
	if (e != ERR_OK || (e = fs_sec_read(v, sec, v->edit)) != ERR_OK)
		return e;
	memcpy(&d, v->edit + in, sizeof d);
	uint32_t was = ((uint32_t)d.cluster_hi << 16) | d.cluster_lo;
	if (memcmp(d.name, node->short_name, 11) != 0 || was != node->cluster)
		return fs_fail(v, ERR_NOENT, "update", NULL, "the entry moved or was removed",
		               node->dir);
	d.cluster_hi = (uint16_t)(cluster >> 16);
	d.cluster_lo = (uint16_t)cluster;
	if (!(d.attr & FAT_ATTR_DIRECTORY))
		d.size = size;
	d.write_date = d.access_date = v->date;
	d.write_time = v->time;
	d.attr |= (d.attr & FAT_ATTR_DIRECTORY) ? 0 : FAT_ATTR_ARCHIVE;
	memcpy(v->edit + in, &d, sizeof d);
	return fs_sec_write(v, sec, v->edit);
}
