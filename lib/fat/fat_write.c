/* FAT32 writer, volume half: geometry, boot sector, FSInfo, FATs, cluster
 * allocation and the mkdir/file operations.  See fat_write.h; directory
 * entries are placed by fat_write_dir.c.
 */
#include "fat_write.h"

#include <string/mem.h>

#include "fat_disk.h"
#include "fat_write_priv.h"

#define CLUSTER_MARGIN 16 /* stay clear of the FAT16/FAT32 boundary count */

/* Cluster size in bytes for a volume size, after Microsoft's table of
 * FAT32 defaults (spec: "FAT Type Determination" notes). */
static uint32_t default_cluster_bytes(uint64_t bytes)
{
	const uint64_t mib = 1024 * 1024;
	if (bytes <= 260 * mib)
		return 512;
	if (bytes <= 8192 * mib)
		return 4096;
	if (bytes <= 16384 * mib)
		return 8192;
	if (bytes <= 32768 * mib)
		return 16384;
	return 32768;
}

/* Lays out a volume for a given cluster size: FAT size, and reserved
 * sectors padded so the data area starts on a cluster (and 4 KiB) boundary. */
static void layout(uint64_t sectors, uint32_t bps, uint32_t spc, struct fat_geometry *g)
{
	uint32_t align = spc > 4096 / bps ? spc : 4096 / bps;
	uint32_t fat = (uint32_t)(((sectors - FAT_WRITE_RESERVED) / spc + 2) * 4 / bps + 1);
	for (int pass = 0; pass < 2; pass++) {
		uint32_t meta = FAT_WRITE_RESERVED + 2 * fat;
		uint32_t rsv = FAT_WRITE_RESERVED + (align - meta % align) % align;
		uint64_t data = sectors > rsv + 2ull * fat ? sectors - rsv - 2ull * fat : 0;
		uint32_t clusters = (uint32_t)(data / spc);
		uint32_t need = (uint32_t)(((uint64_t)clusters + 2) * 4 + bps - 1) / bps;
		if (pass == 1 && need > fat)
			break; /* the tighter FAT would not hold the clusters: keep the last */
		g->reserved_sectors = rsv;
		g->fat_sectors = fat;
		g->cluster_count = clusters;
		fat = need;
	}
	g->bytes_per_sector = bps;
	g->sectors_per_cluster = spc;
	g->total_sectors = (uint32_t)sectors;
}

enum err fat_write_geometry(uint64_t sectors, uint32_t bps, uint32_t spc, struct fat_geometry *g)
{
	if (bps < 512 || bps > 4096 || (bps & (bps - 1)) || spc > 128 || (spc & (spc - 1)))
		return ERR_INVAL;
	if (sectors > UINT32_MAX || sectors < 1024)
		return ERR_RANGE;
	uint32_t s = spc;
	if (!s) {
		s = default_cluster_bytes(sectors * bps) / bps;
		s = s ? s : 1;
	}
	for (;;) {
		layout(sectors, bps, s, g);
		if (g->cluster_count > FAT32_MAX_CLUSTERS - CLUSTER_MARGIN)
			return ERR_RANGE;
		if (g->cluster_count >= FAT32_MIN_CLUSTERS + CLUSTER_MARGIN)
			return ERR_OK;
		if (spc || s == 1)
			return ERR_RANGE;
		s /= 2;
	}
}

uint32_t fat_write_get(const struct fat_writer *w, uint32_t c)
{
	uint32_t v;
	memcpy(&v, w->img + w->fat_offset + (uint64_t)c * 4, 4);
	return v & FAT32_MASK;
}

void fat_write_set(struct fat_writer *w, uint32_t c, uint32_t v)
{
	memcpy(w->img + w->fat_offset + (uint64_t)c * 4, &v, 4);
}

enum err fat_write_alloc(struct fat_writer *w, uint32_t n, int zero, uint32_t *first)
{
	uint32_t end = w->geo.cluster_count + 2; /* one past the last cluster */
	if (n == 0 || n > end - w->next_free)
		return ERR_NOSPC;
	uint32_t c = w->next_free;
	for (uint32_t i = 0; i + 1 < n; i++)
		fat_write_set(w, c + i, c + i + 1);
	fat_write_set(w, c + n - 1, FAT32_EOC);
	if (zero && !w->zeroed)
		memset(fat_write_cluster(w, c), 0, (uint64_t)n * w->cluster_bytes);
	w->next_free += n;
	*first = c;
	return ERR_OK;
}

uint64_t fat_write_free_bytes(const struct fat_writer *w)
{
	return (uint64_t)(w->geo.cluster_count + 2 - w->next_free) * w->cluster_bytes;
}

uint64_t fat_write_used_bytes(const struct fat_writer *w)
{
	return w->data_offset + (uint64_t)(w->next_free - 2) * w->cluster_bytes;
}

/* Space-pads an ASCII label into an 11-byte field; ERR_NAME if it cannot be one. */
static enum err put_label(char out[11], const char *label)
{
	memset(out, ' ', 11);
	for (size_t i = 0; label[i]; i++) {
		char c = label[i];
		if (i >= 11 || (c >= 'a' && c <= 'z') || c < 0x20 || c >= 0x7f ||
		    strchr("\"*+,./:;<=>?[\\]|", c))
			return ERR_NAME;
		out[i] = c;
	}
	return ERR_OK;
}

/* Fills the boot sector of w's volume (spec: "Boot Sector and BPB"). */
static void write_boot(struct fat_writer *w, const struct fat_write_params *p)
{
	/* jmp short to the boot code, which halts: the volume is not bootable */
	static const uint8_t jmp[3] = {0xeb, 0x58, 0x90}, halt[4] = {0xfa, 0xf4, 0xeb, 0xfd};
	struct fat_boot_sector bs;
	memset(&bs, 0, sizeof bs);
	memcpy(bs.jmp_boot, jmp, sizeof jmp);
	memcpy(bs.oem_name, "TESSERA ", 8);
	bs.bytes_per_sector = (uint16_t)w->geo.bytes_per_sector;
	bs.sectors_per_cluster = (uint8_t)w->geo.sectors_per_cluster;
	bs.reserved_sectors = (uint16_t)w->geo.reserved_sectors;
	bs.num_fats = 2;
	bs.media = 0xf8;
	bs.sectors_per_track = 63;
	bs.num_heads = 255;
	bs.hidden_sectors = p->hidden_sectors;
	bs.total_sectors32 = w->geo.total_sectors;
	bs.fat_size32 = w->geo.fat_sectors;
	bs.root_cluster = w->root_cluster;
	bs.fsinfo_sector = FAT_WRITE_FSINFO;
	bs.backup_boot_sector = FAT_WRITE_BACKUP;
	bs.drive_number = 0x80;
	bs.boot_signature = FAT_BOOT_SIG_EXT;
	bs.volume_id = p->volume_id;
	put_label(bs.volume_label, p->label ? p->label : "NO NAME");
	memcpy(bs.fs_type, "FAT32   ", 8);
	memcpy(bs.boot_code, halt, sizeof halt);
	bs.signature[0] = 0x55;
	bs.signature[1] = 0xaa;
	memcpy(w->img, &bs, sizeof bs);
}

/* Adds the volume label entry to the (empty) root directory. */
static void write_label_entry(struct fat_writer *w, const char *label)
{
	struct fat_sfn_entry d;
	memset(&d, 0, sizeof d);
	put_label((char *)d.name, label);
	d.attr = FAT_ATTR_VOLUME_ID;
	d.write_time = w->time;
	d.write_date = w->date;
	memcpy(fat_write_cluster(w, w->root_cluster), &d, sizeof d);
}

enum err fat_write_format(struct fat_writer *w, void *img, uint64_t bytes,
                          const struct fat_write_params *p)
{
	char label[11];
	if (p->bytes_per_sector < 512 || p->bytes_per_sector > 4096)
		return ERR_INVAL;
	if (p->label && put_label(label, p->label) != ERR_OK)
		return ERR_NAME;
	memset(w, 0, sizeof *w);
	enum err e = fat_write_geometry(bytes / p->bytes_per_sector, p->bytes_per_sector,
	                                p->sectors_per_cluster, &w->geo);
	if (e != ERR_OK)
		return e;
	uint32_t bps = w->geo.bytes_per_sector;
	w->img = img;
	w->bytes = bytes;
	w->cluster_bytes = bps * w->geo.sectors_per_cluster;
	w->fat_offset = (uint64_t)w->geo.reserved_sectors * bps;
	w->data_offset = w->fat_offset + 2ull * w->geo.fat_sectors * bps;
	w->next_free = 2;
	w->date = p->date;
	w->time = p->time;
	w->zeroed = p->zeroed;
	if (!w->zeroed)
		memset(w->img, 0, w->data_offset);
	fat_write_set(w, 0, 0x0fffff00 | 0xf8); /* FAT[0]: media byte */
	fat_write_set(w, 1, FAT32_EOC);         /* FAT[1]: clean, no errors */
	uint32_t root_bytes = (p->root_entries + 1) * 32;
	uint32_t n = (root_bytes + w->cluster_bytes - 1) / w->cluster_bytes;
	if ((e = fat_write_alloc(w, n ? n : 1, 1, &w->root_cluster)) != ERR_OK)
		return e;
	write_boot(w, p);
	if (p->label)
		write_label_entry(w, p->label);
	return ERR_OK;
}

enum err fat_write_mkdir(struct fat_writer *w, uint32_t parent, const char *name, uint32_t entries,
                         uint32_t *cluster)
{
	struct fat_write_entries ents;
	enum err e = fat_write_dir_prepare(w, parent, name, &ents);
	if (e != ERR_OK)
		return e;
	uint64_t bytes = (uint64_t)(entries > 2 ? entries : 2) * 32;
	if (bytes > FAT_DIR_MAX_BYTES)
		return ERR_FULL;
	uint32_t n = (uint32_t)((bytes + w->cluster_bytes - 1) / w->cluster_bytes), c;
	if ((e = fat_write_alloc(w, n, 1, &c)) != ERR_OK)
		return e;
	/* "." names the directory itself, ".." its parent (0 for the root). */
	struct fat_sfn_entry dot;
	memset(&dot, 0, sizeof dot);
	memcpy(dot.name, ".          ", 11);
	dot.attr = FAT_ATTR_DIRECTORY;
	dot.write_time = dot.create_time = w->time;
	dot.write_date = dot.create_date = dot.access_date = w->date;
	dot.cluster_hi = (uint16_t)(c >> 16);
	dot.cluster_lo = (uint16_t)c;
	memcpy(fat_write_cluster(w, c), &dot, sizeof dot);
	uint32_t up = parent == w->root_cluster ? 0 : parent;
	dot.name[1] = '.';
	dot.cluster_hi = (uint16_t)(up >> 16);
	dot.cluster_lo = (uint16_t)up;
	memcpy(fat_write_cluster(w, c) + 32, &dot, sizeof dot);
	*cluster = c;
	return fat_write_dir_commit(w, &ents, FAT_ATTR_DIRECTORY, c, 0);
}

enum err fat_write_file(struct fat_writer *w, uint32_t parent, const char *name, uint64_t size,
                        void **data)
{
	struct fat_write_entries ents;
	if (size > UINT32_MAX)
		return ERR_RANGE;
	enum err e = fat_write_dir_prepare(w, parent, name, &ents);
	if (e != ERR_OK)
		return e;
	uint32_t c = 0;
	*data = NULL;
	if (size) {
		uint64_t n = (size + w->cluster_bytes - 1) / w->cluster_bytes;
		if (n > UINT32_MAX || (e = fat_write_alloc(w, (uint32_t)n, 0, &c)) != ERR_OK)
			return ERR_NOSPC;
		uint8_t *p = fat_write_cluster(w, c);
		if (!w->zeroed)
			memset(p + size, 0, n * w->cluster_bytes - size);
		*data = p;
	}
	return fat_write_dir_commit(w, &ents, FAT_ATTR_ARCHIVE, c, (uint32_t)size);
}

/* Fills the FSInfo sector at volume sector sec (spec: "FAT32 FSInfo Sector"). */
static void write_fsinfo(struct fat_writer *w, uint32_t sec)
{
	struct fat_fsinfo fi;
	memset(&fi, 0, sizeof fi);
	fi.lead_sig = FAT_FSINFO_LEAD_SIG;
	fi.struct_sig = FAT_FSINFO_STRUCT_SIG;
	fi.free_count = w->geo.cluster_count + 2 - w->next_free;
	fi.next_free = w->next_free < w->geo.cluster_count + 2 ? w->next_free : FAT_FSINFO_UNKNOWN;
	fi.trail_sig = FAT_FSINFO_TRAIL_SIG;
	memcpy(w->img + (uint64_t)sec * w->geo.bytes_per_sector, &fi, sizeof fi);
}

enum err fat_write_finish(struct fat_writer *w)
{
	uint32_t bps = w->geo.bytes_per_sector;
	uint64_t fat_bytes = (uint64_t)w->geo.fat_sectors * bps;
	/* entries from next_free on are zero in both FATs already */
	uint64_t copy = w->zeroed ? (uint64_t)w->next_free * 4 : fat_bytes;
	memcpy(w->img + w->fat_offset + fat_bytes, w->img + w->fat_offset, copy);
	write_fsinfo(w, FAT_WRITE_FSINFO);
	memcpy(w->img + (uint64_t)FAT_WRITE_BACKUP * bps, w->img, bps);
	write_fsinfo(w, FAT_WRITE_BACKUP + 1);
	return ERR_OK;
}
