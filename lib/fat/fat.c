/* FAT32 reader: mount, path lookup, cluster-run reads, directory iteration
 * with VFAT long names.  See fat.h.  Every value read from the disk is
 * checked before it is used as an index, a count or a cluster number, and
 * every chain walk is bounded, so a corrupt volume yields ERR_CORRUPT.
 */
#include "fat.h"

#include <string/mem.h>

#include "fat_disk.h"
#include "fat_name.h"

static int is_pow2(uint32_t x)
{
	return x && !(x & (x - 1));
}

/* Reads count volume sectors starting at volume sector sec into buf. */
static enum err vol_read(struct fat_volume *vol, uint64_t sec, uint64_t count, void *buf)
{
	uint8_t *out = buf;
	uint64_t max = UINT32_MAX / vol->dev_ratio;
	while (count) {
		uint64_t n = count < max ? count : max;
		enum err e = vol->dev->read(vol->dev->ctx, vol->part_lba + sec * vol->dev_ratio,
		                            (uint32_t)(n * vol->dev_ratio), out);
		if (e != ERR_OK)
			return e;
		out += n * vol->bytes_per_sector;
		sec += n;
		count -= n;
	}
	return ERR_OK;
}

/* Makes volume sector sec the cached sector. */
static enum err cache_load(struct fat_volume *vol, uint64_t sec)
{
	if (vol->cache_valid && vol->cache_lba == sec)
		return ERR_OK;
	vol->cache_valid = 0;
	enum err e = vol_read(vol, sec, 1, vol->cache);
	if (e != ERR_OK)
		return e;
	vol->cache_lba = sec;
	vol->cache_valid = 1;
	return ERR_OK;
}

/* Checks the BPB fields that do not depend on each other. */
static enum err check_bpb(const struct fat_boot_sector *bs, const struct blockdev *dev)
{
	if (bs->signature[0] != 0x55 || bs->signature[1] != 0xaa)
		return ERR_CORRUPT;
	if (bs->jmp_boot[0] != 0xeb && bs->jmp_boot[0] != 0xe9)
		return ERR_CORRUPT;
	uint32_t bps = bs->bytes_per_sector, spc = bs->sectors_per_cluster;
	if (bps < 512 || bps > FAT_MAX_SECTOR || !is_pow2(bps))
		return ERR_CORRUPT;
	if (!is_pow2(spc) || bps * spc > 65536)
		return ERR_CORRUPT;
	if (bps % dev->sector_size)
		return ERR_UNSUPPORTED;
	if (bs->reserved_sectors == 0 || bs->num_fats == 0 || bs->num_fats > 2)
		return ERR_CORRUPT;
	if (bs->media != 0xf0 && bs->media < 0xf8)
		return ERR_CORRUPT;
	/* FAT12/16 keep a fixed root directory and a 16-bit FAT size. */
	if (bs->root_entries != 0 || bs->fat_size16 != 0 || bs->fat_size32 == 0)
		return ERR_UNSUPPORTED;
	if (bs->fs_version != 0)
		return ERR_UNSUPPORTED;
	return ERR_OK;
}

/* Derives the layout from a checked BPB and checks that it is FAT32 and
 * self-consistent (spec: "FAT Type Determination"). */
static enum err compute_layout(struct fat_volume *vol, const struct fat_boot_sector *bs)
{
	uint32_t bps = bs->bytes_per_sector;
	uint64_t total = bs->total_sectors16 ? bs->total_sectors16 : bs->total_sectors32;
	uint64_t meta = bs->reserved_sectors + (uint64_t)bs->num_fats * bs->fat_size32;
	if (total <= meta)
		return ERR_CORRUPT;
	uint64_t clusters = (total - meta) / bs->sectors_per_cluster;
	if (clusters < FAT32_MIN_CLUSTERS)
		return ERR_UNSUPPORTED;
	if (clusters > FAT32_MAX_CLUSTERS)
		return ERR_CORRUPT;
	if ((uint64_t)bs->fat_size32 * bps / 4 < clusters + 2)
		return ERR_CORRUPT;
	uint32_t active = 0;
	if (bs->ext_flags & 0x80) /* mirroring off: bits 0-3 name the active FAT */
		active = bs->ext_flags & 0x0f;
	if (active >= bs->num_fats)
		return ERR_CORRUPT;
	if (bs->root_cluster < 2 || bs->root_cluster >= clusters + 2)
		return ERR_CORRUPT;
	vol->bytes_per_sector = bps;
	vol->sectors_per_cluster = bs->sectors_per_cluster;
	vol->cluster_bytes = bps * bs->sectors_per_cluster;
	vol->reserved_sectors = bs->reserved_sectors;
	vol->fat_count = bs->num_fats;
	vol->fat_sectors = bs->fat_size32;
	vol->fat_start = bs->reserved_sectors + active * bs->fat_size32;
	vol->data_lba = meta;
	vol->cluster_count = (uint32_t)clusters;
	vol->root_cluster = bs->root_cluster;
	vol->total_sectors = (uint32_t)total;
	return ERR_OK;
}

/* Copies the BPB volume label, without its space padding. */
static void copy_label(struct fat_volume *vol, const struct fat_boot_sector *bs)
{
	size_t n = 0;
	if (bs->boot_signature == FAT_BOOT_SIG_EXT) {
		vol->volume_id = bs->volume_id;
		n = sizeof bs->volume_label;
		memcpy(vol->label, bs->volume_label, n);
		while (n > 0 && vol->label[n - 1] == ' ')
			n--;
	}
	vol->label[n] = 0;
}

enum err fat_mount(struct fat_volume *vol, const struct blockdev *dev, uint64_t part_lba)
{
	if (!vol || !dev || !dev->read)
		return ERR_INVAL;
	uint32_t ss = dev->sector_size;
	if (ss < 512 || ss > FAT_MAX_SECTOR || !is_pow2(ss))
		return ERR_INVAL;
	memset(vol, 0, offsetof(struct fat_volume, cache));
	vol->dev = dev;
	vol->part_lba = part_lba;
	enum err e = dev->read(dev->ctx, part_lba, 1, vol->cache);
	if (e != ERR_OK)
		return e;
	struct fat_boot_sector bs;
	memcpy(&bs, vol->cache, sizeof bs);
	e = check_bpb(&bs, dev);
	if (e == ERR_OK)
		e = compute_layout(vol, &bs);
	if (e != ERR_OK)
		return e;
	vol->dev_ratio = vol->bytes_per_sector / ss;
	if (dev->sector_count &&
	    part_lba + (uint64_t)vol->total_sectors * vol->dev_ratio > dev->sector_count)
		return ERR_CORRUPT;
	copy_label(vol, &bs);
	return ERR_OK;
}

/* Reads the FAT entry of cluster c: *next is the following cluster, or 0
 * at the end of the chain.  Free, reserved and bad entries are corrupt. */
static enum err fat_next(struct fat_volume *vol, uint32_t c, uint32_t *next)
{
	uint64_t byte = (uint64_t)c * 4;
	enum err e = cache_load(vol, vol->fat_start + byte / vol->bytes_per_sector);
	if (e != ERR_OK)
		return e;
	uint32_t v;
	memcpy(&v, vol->cache + byte % vol->bytes_per_sector, 4);
	v &= FAT32_MASK;
	if (v >= FAT32_EOC_MIN) {
		*next = 0;
		return ERR_OK;
	}
	if (v < 2 || v >= vol->cluster_count + 2u)
		return ERR_CORRUPT;
	*next = v;
	return ERR_OK;
}

/* Finds the cluster holding cluster index idx of f, starting from the
 * position cache when it lies at or before idx.  ERR_RANGE past the end. */
static enum err file_seek(struct fat_file *f, uint32_t idx, uint32_t *cluster)
{
	struct fat_volume *vol = f->vol;
	uint32_t c = f->first_cluster, i = 0;
	if (c < 2 || c >= vol->cluster_count + 2u)
		return ERR_CORRUPT;
	if (f->pos_cluster && f->pos_index <= idx) {
		c = f->pos_cluster;
		i = f->pos_index;
	}
	while (i < idx) {
		uint32_t next;
		enum err e = fat_next(vol, c, &next);
		if (e != ERR_OK)
			return e;
		if (!next)
			return ERR_RANGE;
		c = next;
		i++;
	}
	f->pos_cluster = c;
	f->pos_index = i;
	*cluster = c;
	return ERR_OK;
}

/* Reads n bytes starting off bytes into the run of sectors at volume
 * sector first: partial sectors through the cache, whole ones directly. */
static enum err read_bytes(struct fat_volume *vol, uint64_t first, uint64_t off, uint8_t *out,
                           uint64_t n)
{
	uint32_t bps = vol->bytes_per_sector;
	uint64_t sec = first + off / bps;
	uint32_t in = (uint32_t)(off % bps);
	enum err e;
	if (in) {
		uint64_t k = bps - in < n ? bps - in : n;
		if ((e = cache_load(vol, sec)) != ERR_OK)
			return e;
		memcpy(out, vol->cache + in, k);
		out += k;
		n -= k;
		sec++;
	}
	uint64_t whole = n / bps;
	if (whole) {
		if ((e = vol_read(vol, sec, whole, out)) != ERR_OK)
			return e;
		out += whole * bps;
		n -= whole * bps;
		sec += whole;
	}
	if (n) {
		if ((e = cache_load(vol, sec)) != ERR_OK)
			return e;
		memcpy(out, vol->cache, n);
	}
	return ERR_OK;
}

/* Counts the clusters contiguous on disk from c (c itself included) up to
 * the number needed to cover want bytes from its start. */
static enum err run_length(struct fat_volume *vol, uint32_t c, uint64_t want, uint32_t *run)
{
	uint32_t n = 1;
	while ((uint64_t)n * vol->cluster_bytes < want) {
		uint32_t next;
		enum err e = fat_next(vol, c + n - 1, &next);
		if (e != ERR_OK)
			return e;
		if (next != c + n)
			break;
		n++;
	}
	*run = n;
	return ERR_OK;
}

enum err fat_read(struct fat_file *f, uint64_t offset, void *buf, size_t len, size_t *done)
{
	struct fat_volume *vol = f->vol;
	int is_dir = f->attr & FAT_ATTR_DIRECTORY;
	uint64_t limit = is_dir ? FAT_DIR_MAX_BYTES : f->size;
	uint8_t *out = buf;
	*done = 0;
	if (offset >= limit)
		return ERR_OK;
	if (len > limit - offset)
		len = (size_t)(limit - offset);
	while (len) {
		uint32_t idx = (uint32_t)(offset / vol->cluster_bytes), c, run;
		uint64_t in = offset % vol->cluster_bytes;
		enum err e = file_seek(f, idx, &c);
		if (e == ERR_RANGE)
			return is_dir ? ERR_OK : ERR_CORRUPT; /* chain shorter than the size */
		if (e == ERR_OK)
			e = run_length(vol, c, in + len, &run);
		if (e != ERR_OK)
			return e;
		uint64_t span = (uint64_t)run * vol->cluster_bytes - in;
		if (span > len)
			span = len;
		uint64_t first = vol->data_lba + (uint64_t)(c - 2) * vol->sectors_per_cluster;
		if ((e = read_bytes(vol, first, in, out, span)) != ERR_OK)
			return e;
		f->pos_cluster = c + run - 1;
		f->pos_index = idx + run - 1;
		out += span;
		offset += span;
		len -= span;
		*done += span;
	}
	return ERR_OK;
}

/* Fills ent from a short entry and the long name collected before it. */
static void fill_dirent(struct fat_dirent *ent, const struct fat_sfn_entry *d,
                        const struct fat_name_lfn *s)
{
	fat_name_short_format(d->name, 0, ent->short_name);
	int len = fat_name_lfn_match(s, d->name);
	if (len > 0)
		len = fat_name_to_utf8(s->units, (size_t)len, ent->name, sizeof ent->name);
	if (len <= 0)
		fat_name_short_format(d->name, d->nt_case, ent->name);
	ent->attr = d->attr;
	ent->first_cluster = ((uint32_t)d->cluster_hi << 16) | d->cluster_lo;
	ent->size = d->size;
}

enum err fat_dir_next(struct fat_dir *dir, struct fat_dirent *ent)
{
	struct fat_name_lfn s;
	fat_name_lfn_reset(&s);
	for (;;) {
		uint8_t raw[32];
		size_t got;
		enum err e = fat_read(&dir->file, dir->offset, raw, sizeof raw, &got);
		if (e != ERR_OK)
			return e;
		if (got < sizeof raw || raw[0] == FAT_DIRENT_END)
			return ERR_NOENT; /* offset stays put: later calls say the same */
		dir->offset += sizeof raw;
		if (raw[0] == FAT_DIRENT_FREE) {
			fat_name_lfn_reset(&s);
			continue;
		}
		if ((raw[11] & FAT_ATTR_LONG_MASK) == FAT_ATTR_LFN) {
			struct fat_lfn_entry l;
			memcpy(&l, raw, sizeof l);
			fat_name_lfn_add(&s, &l);
			continue;
		}
		struct fat_sfn_entry d;
		memcpy(&d, raw, sizeof d);
		if ((d.attr & FAT_ATTR_VOLUME_ID) || d.name[0] == '.') {
			fat_name_lfn_reset(&s);
			continue;
		}
		fill_dirent(ent, &d, &s);
		return ERR_OK;
	}
}

/* A handle on the root directory. */
static void open_root(struct fat_volume *vol, struct fat_file *f)
{
	memset(f, 0, sizeof *f);
	f->vol = vol;
	f->first_cluster = vol->root_cluster;
	f->attr = FAT_ATTR_DIRECTORY;
}

/* Looks name (n bytes) up in directory *dir and replaces *dir with it.
 * A long name match wins over an 8.3 alias match anywhere in the
 * directory, so a file named like another file's alias is found. */
static enum err lookup(struct fat_file *dir, const char *name, size_t n)
{
	char want[FAT_NAME_MAX + 1];
	struct fat_dirent ent, alias;
	struct fat_dir it = {.file = *dir, .offset = 0};
	int have_alias = 0;
	memcpy(want, name, n);
	want[n] = 0;
	for (;;) {
		enum err e = fat_dir_next(&it, &ent);
		if (e == ERR_NOENT && have_alias)
			ent = alias;
		else if (e != ERR_OK)
			return e;
		if (e == ERR_NOENT || !mem_strcasecmp(want, ent.name))
			break;
		if (!have_alias && !mem_strcasecmp(want, ent.short_name)) {
			alias = ent;
			have_alias = 1;
		}
	}
	memset(dir, 0, sizeof *dir);
	dir->vol = it.file.vol;
	dir->first_cluster = ent.first_cluster;
	dir->attr = ent.attr;
	dir->size = (ent.attr & FAT_ATTR_DIRECTORY) ? 0 : ent.size;
	return ERR_OK;
}

enum err fat_open(struct fat_volume *vol, const char *path, struct fat_file *out)
{
	struct fat_file cur;
	open_root(vol, &cur);
	const char *p = path;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *end = p;
		while (*end && *end != '/')
			end++;
		size_t n = (size_t)(end - p);
		if (!(cur.attr & FAT_ATTR_DIRECTORY))
			return ERR_NOTDIR;
		if (n > FAT_NAME_MAX)
			return ERR_NOENT;
		if (!(n == 1 && p[0] == '.')) {
			enum err e = lookup(&cur, p, n);
			if (e != ERR_OK)
				return e;
		}
		p = end;
	}
	*out = cur;
	return ERR_OK;
}

enum err fat_dir_open(struct fat_volume *vol, const char *path, struct fat_dir *dir)
{
	enum err e = fat_open(vol, path, &dir->file);
	if (e != ERR_OK)
		return e;
	if (!(dir->file.attr & FAT_ATTR_DIRECTORY))
		return ERR_NOTDIR;
	dir->offset = 0;
	return ERR_OK;
}
