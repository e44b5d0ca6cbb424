/* FAT32 file system, volume half: mount, sector I/O that keeps the
 * reader's cache coherent, FAT entries in every copy, allocation, freeing,
 * FSInfo.  See fs.h for the write order these pieces are used in.
 */
#include <string/mem.h>

#include "fs_priv.h"

#define FS_MSG_NAME 48 /* bytes of a name shown in a message */

/* Appends s to v->msg. */
static void msg_put(struct fs_vol *v, const char *s)
{
	size_t n = strlen(v->msg);
	mem_strlcpy(v->msg + n, s, sizeof v->msg - n);
}

static void msg_num(struct fs_vol *v, uint32_t x)
{
	char d[11];
	int i = (int)sizeof d - 1;
	d[i] = 0;
	do {
		d[--i] = (char)('0' + x % 10);
		x /= 10;
	} while (x);
	msg_put(v, d + i);
}

enum err fs_fail(struct fs_vol *v, enum err e, const char *op, const char *name, const char *why,
                 uint32_t cluster)
{
	v->msg[0] = 0;
	msg_put(v, op ? op : "fs");
	if (name) {
		char shown[FS_MSG_NAME + 4];
		size_t n = mem_strlcpy(shown, name, FS_MSG_NAME + 1);
		if (n > FS_MSG_NAME)
			mem_strlcpy(shown + FS_MSG_NAME, "...", 4);
		msg_put(v, " '");
		msg_put(v, shown);
		msg_put(v, "'");
	}
	msg_put(v, ": ");
	msg_put(v, why ? why : err_str(e));
	if (cluster) {
		msg_put(v, " (cluster ");
		msg_num(v, cluster);
		msg_put(v, ")");
	}
	return e;
}

const char *fs_msg(const struct fs_vol *v)
{
	return v->msg;
}

/* Records a device error at volume sector sec: "OP: WHY (sector N)". */
static enum err fail_sector(struct fs_vol *v, enum err e, const char *op, uint64_t sec)
{
	fs_fail(v, e, op, NULL, e == ERR_CORRUPT ? "past the end of the volume" : NULL, 0);
	msg_put(v, " (sector ");
	msg_num(v, (uint32_t)sec);
	msg_put(v, ")");
	return e;
}

enum err fs_sec_read(struct fs_vol *v, uint64_t sec, void *buf)
{
	const struct fat_volume *f = &v->fat;
	if (sec >= f->total_sectors)
		return fail_sector(v, ERR_CORRUPT, "read", sec);
	enum err e = f->dev->read(f->dev->ctx, f->part_lba + sec * f->dev_ratio, f->dev_ratio, buf);
	return e == ERR_OK ? e : fail_sector(v, e, "read", sec);
}

/* Replaces or drops every cached copy of sectors [sec, sec + count). */
static void cache_update(struct fs_vol *v, uint64_t sec, uint32_t count, const uint8_t *buf)
{
	uint32_t bps = v->fat.bytes_per_sector;
	if (v->fat.cache_valid && v->fat.cache_lba >= sec && v->fat.cache_lba - sec < count)
		memcpy(v->fat.cache, buf + (v->fat.cache_lba - sec) * bps, bps);
	if (v->fat_cache_ok && v->fat_cache_sec >= sec && v->fat_cache_sec - sec < count)
		memcpy(v->fat_cache, buf + (v->fat_cache_sec - sec) * bps, bps);
}

enum err fs_secs_write(struct fs_vol *v, uint64_t sec, uint32_t count, const void *buf)
{
	const struct fat_volume *f = &v->fat;
	if (!f->dev->write)
		return fail_sector(v, ERR_PERM, "write", sec);
	if (sec >= f->total_sectors || count > f->total_sectors - sec)
		return fail_sector(v, ERR_CORRUPT, "write", sec);
	enum err e = f->dev->write(f->dev->ctx, f->part_lba + sec * f->dev_ratio,
	                           count * f->dev_ratio, buf);
	if (e != ERR_OK) {
		v->fat.cache_valid = 0; /* a failed write may have written some */
		v->fat_cache_ok = 0;
		return fail_sector(v, e, "write", sec);
	}
	cache_update(v, sec, count, buf);
	return ERR_OK;
}

enum err fs_sec_write(struct fs_vol *v, uint64_t sec, const void *buf)
{
	return fs_secs_write(v, sec, 1, buf);
}

/* The raw FAT entry of c (28 bits) from the FAT in use. */
static enum err fat_get(struct fs_vol *v, uint32_t c, uint32_t *val)
{
	uint32_t bps = v->fat.bytes_per_sector;
	uint64_t sec = v->fat.fat_start + (uint64_t)c * 4 / bps;
	if (!v->fat_cache_ok || v->fat_cache_sec != sec) {
		v->fat_cache_ok = 0;
		enum err e = fs_sec_read(v, sec, v->fat_cache);
		if (e != ERR_OK)
			return e;
		v->fat_cache_sec = sec;
		v->fat_cache_ok = 1;
	}
	memcpy(val, v->fat_cache + (uint64_t)c * 4 % bps, 4);
	*val &= FAT32_MASK;
	return ERR_OK;
}

enum err fs_fat_next(struct fs_vol *v, uint32_t c, uint32_t *next)
{
	uint32_t val;
	if (!fs_cluster_ok(v, c))
		return fs_fail(v, ERR_CORRUPT, "chain", NULL, "cluster out of range", c);
	enum err e = fat_get(v, c, &val);
	if (e != ERR_OK)
		return e;
	if (val >= FAT32_EOC_MIN) {
		*next = 0;
		return ERR_OK;
	}
	if (!fs_cluster_ok(v, val))
		return fs_fail(v, ERR_CORRUPT, "chain", NULL, "free, bad or out-of-range FAT entry",
		               c);
	*next = val;
	return ERR_OK;
}

enum err fs_chain_at(struct fs_vol *v, uint32_t first, uint32_t idx, uint32_t *cluster)
{
	uint32_t c = first;
	if (!fs_cluster_ok(v, c))
		return fs_fail(v, ERR_CORRUPT, "chain", NULL, "first cluster out of range", c);
	if (idx > v->fat.cluster_count)
		return ERR_RANGE;
	for (uint32_t i = 0; i < idx; i++) {
		uint32_t next;
		enum err e = fs_fat_next(v, c, &next);
		if (e != ERR_OK)
			return e;
		if (!next)
			return ERR_RANGE;
		c = next;
	}
	*cluster = c;
	return ERR_OK;
}

enum err fs_chain_end(struct fs_vol *v, uint32_t first, uint32_t *len, uint32_t *last)
{
	uint32_t c = first, n = 1;
	if (!fs_cluster_ok(v, c))
		return fs_fail(v, ERR_CORRUPT, "chain", NULL, "first cluster out of range", c);
	for (;;) {
		uint32_t next;
		enum err e = fs_fat_next(v, c, &next);
		if (e != ERR_OK)
			return e;
		if (!next)
			break;
		if (++n > v->fat.cluster_count)
			return fs_fail(v, ERR_CORRUPT, "chain", NULL, "loops", first);
		c = next;
	}
	*len = n;
	*last = c;
	return ERR_OK;
}

enum err fs_find_free(struct fs_vol *v, uint32_t n, uint32_t *out)
{
	uint32_t end = v->fat.cluster_count + 2, got = 0, c = v->next_free;
	if (n > v->free_count)
		return fs_fail(v, ERR_NOSPC, "allocate", NULL, NULL, 0);
	if (!fs_cluster_ok(v, c))
		c = 2;
	for (uint32_t seen = 0; got < n && seen < v->fat.cluster_count; seen++) {
		uint32_t val;
		enum err e = fat_get(v, c, &val);
		if (e != ERR_OK)
			return e;
		if (val == 0)
			out[got++] = c;
		if (++c == end)
			c = 2;
	}
	if (got < n) {
		v->free_count = got; /* the count was wrong: it is at most this */
		v->fsinfo_dirty = 1;
		return fs_fail(v, ERR_NOSPC, "allocate", NULL, NULL, 0);
	}
	v->next_free = c;
	return ERR_OK;
}

/* Writes the FAT sector being edited to every copy, the one in use first. */
static enum err fat_flush(struct fs_vol *v)
{
	const struct fat_volume *f = &v->fat;
	if (!v->fat_edit_ok)
		return ERR_OK;
	v->fat_edit_ok = 0;
	uint64_t rel = v->fat_edit_sec - f->fat_start;
	enum err e = fs_sec_write(v, v->fat_edit_sec, v->fat_edit);
	for (uint32_t i = 0; e == ERR_OK && i < f->fat_count; i++) {
		uint64_t sec = f->reserved_sectors + (uint64_t)i * f->fat_sectors + rel;
		if (sec != v->fat_edit_sec)
			e = fs_sec_write(v, sec, v->fat_edit);
	}
	return e;
}

/* Sets the entry of c in the FAT sector being edited (loading its sector,
 * after writing out another); *old gets the entry it replaced. */
static enum err fat_edit(struct fs_vol *v, uint32_t c, uint32_t val, uint32_t *old)
{
	uint32_t bps = v->fat.bytes_per_sector;
	uint64_t sec = v->fat.fat_start + (uint64_t)c * 4 / bps;
	enum err e;
	if (!fs_cluster_ok(v, c))
		return fs_fail(v, ERR_CORRUPT, "FAT", NULL, "cluster out of range", c);
	if (!v->fat_edit_ok || v->fat_edit_sec != sec) {
		if ((e = fat_flush(v)) != ERR_OK ||
		    (e = fs_sec_read(v, sec, v->fat_edit)) != ERR_OK)
			return e;
		v->fat_edit_sec = sec;
		v->fat_edit_ok = 1;
	}
	uint32_t raw, at = (uint32_t)((uint64_t)c * 4 % bps);
	memcpy(&raw, v->fat_edit + at, 4);
	*old = raw & FAT32_MASK;
	raw = (raw & ~FAT32_MASK) | (val & FAT32_MASK); /* the top 4 bits are kept (spec) */
	memcpy(v->fat_edit + at, &raw, 4);
	return ERR_OK;
}

enum err fs_fat_set(struct fs_vol *v, uint32_t c, uint32_t val)
{
	uint32_t old;
	enum err e = fat_edit(v, c, val, &old);
	return e == ERR_OK ? fat_flush(v) : e;
}

enum err fs_chain_write(struct fs_vol *v, const uint32_t *c, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint32_t old;
		enum err e = fat_edit(v, c[i], i + 1 < n ? c[i + 1] : FAT32_EOC, &old);
		if (e != ERR_OK)
			return e;
		if (old == 0 && v->free_count)
			v->free_count--;
		v->fsinfo_dirty = 1;
	}
	return fat_flush(v);
}

enum err fs_chain_free(struct fs_vol *v, uint32_t first)
{
	uint32_t c = first;
	for (uint32_t steps = 0; c; steps++) {
		uint32_t old;
		if (steps > v->fat.cluster_count)
			return fs_fail(v, ERR_CORRUPT, "free", NULL, "chain loops", first);
		enum err e = fat_edit(v, c, 0, &old);
		if (e != ERR_OK)
			return e;
		if (old == 0) /* already free: the chain ended early */
			break;
		if (v->free_count < v->fat.cluster_count)
			v->free_count++;
		v->fsinfo_dirty = 1;
		if (old >= FAT32_EOC_MIN)
			break;
		if (!fs_cluster_ok(v, old)) {
			fat_flush(v);
			return fs_fail(v, ERR_CORRUPT, "free", NULL, "bad FAT entry in chain", c);
		}
		c = old;
	}
	return fat_flush(v);
}

enum err fs_commit(struct fs_vol *v)
{
	if (!v->fsinfo_dirty || !v->fsinfo_sector)
		return ERR_OK;
	struct fat_fsinfo fi;
	enum err e = fs_sec_read(v, v->fsinfo_sector, v->edit);
	if (e != ERR_OK)
		return e;
	memcpy(&fi, v->edit, sizeof fi);
	fi.free_count = v->free_count;
	fi.next_free = v->next_free;
	memcpy(v->edit, &fi, sizeof fi);
	if ((e = fs_sec_write(v, v->fsinfo_sector, v->edit)) == ERR_OK)
		v->fsinfo_dirty = 0;
	return e;
}

enum err fs_cluster_put(struct fs_vol *v, uint32_t c, uint32_t off, const uint8_t *src, uint32_t n)
{
	uint32_t bps = v->fat.bytes_per_sector;
	uint64_t sec = fs_cluster_sec(v, c) + off / bps;
	uint32_t in = off % bps;
	while (n) {
		uint32_t k = bps - in < n ? bps - in : n;
		enum err e;
		if (k == bps && src) {
			uint32_t whole = n / bps; /* a run of whole sectors, straight from src */
			e = fs_secs_write(v, sec, whole, src);
			k = whole * bps;
			sec += whole - 1;
		} else {
			if (k < bps && (e = fs_sec_read(v, sec, v->scan)) != ERR_OK)
				return e;
			if (src)
				memcpy(v->scan + in, src, k);
			else
				memset(v->scan + in, 0, k);
			e = fs_sec_write(v, sec, v->scan);
		}
		if (e != ERR_OK)
			return e;
		if (src)
			src += k;
		n -= k;
		in = 0;
		sec++;
	}
	return ERR_OK;
}

/* Reads FSInfo: its sector if it carries the three signatures. */
static void read_fsinfo(struct fs_vol *v, const struct fat_boot_sector *bs)
{
	struct fat_fsinfo fi;
	v->fsinfo_sector = 0;
	v->next_free = 2;
	if (bs->fsinfo_sector == 0 || bs->fsinfo_sector >= v->fat.reserved_sectors ||
	    fs_sec_read(v, bs->fsinfo_sector, v->scan) != ERR_OK)
		return;
	memcpy(&fi, v->scan, sizeof fi);
	if (fi.lead_sig != FAT_FSINFO_LEAD_SIG || fi.struct_sig != FAT_FSINFO_STRUCT_SIG ||
	    fi.trail_sig != FAT_FSINFO_TRAIL_SIG)
		return;
	v->fsinfo_sector = bs->fsinfo_sector;
	if (fs_cluster_ok(v, fi.next_free))
		v->next_free = fi.next_free;
	v->fsinfo_dirty = fi.free_count != v->free_count;
}

/* Counts the free clusters in the FAT in use. */
static enum err count_free(struct fs_vol *v)
{
	v->free_count = 0;
	for (uint32_t c = 2; c < v->fat.cluster_count + 2; c++) {
		uint32_t val;
		enum err e = fat_get(v, c, &val);
		if (e != ERR_OK)
			return e;
		v->free_count += val == 0;
	}
	return ERR_OK;
}

enum err fs_mount(struct fs_vol *v, const struct blockdev *dev, uint64_t part_lba)
{
	v->msg[0] = 0;
	v->fat_edit_ok = v->fat_cache_ok = 0;
	v->fsinfo_dirty = 0;
	if (!v->date)
		v->date = (1 << 5) | 1; /* 1980-01-01 until the caller sets a date */
	enum err e = fat_mount(&v->fat, dev, part_lba);
	if (e != ERR_OK)
		return fs_fail(v, e, "mount", NULL, "not a FAT32 volume this reader accepts", 0);
	struct fat_boot_sector bs;
	if ((e = fs_sec_read(v, 0, v->scan)) != ERR_OK)
		return fs_fail(v, e, "mount", NULL, "boot sector unreadable", 0);
	memcpy(&bs, v->scan, sizeof bs);
	if ((e = count_free(v)) != ERR_OK)
		return fs_fail(v, e, "mount", NULL, "FAT unreadable", 0);
	read_fsinfo(v, &bs);
	return ERR_OK;
}
