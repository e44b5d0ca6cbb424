/* mkimage: lays the disk out in memory: GPT with one EFI system partition
 * at LBA 2048, FAT32 inside it, optional MBR boot code and loader stage. */
#include <errno.h>
#include <fat/fat_write.h>
#include <fat/gpt.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkimage.h"

uint64_t mkimage_hash(const char *seed, const char *purpose)
{
	/* FNV-1a over purpose, a separator and the seed, then a SplitMix64
	 * finaliser so that similar seeds give unrelated values. */
	uint64_t h = 0xcbf29ce484222325ull;
	const char *parts[3] = {purpose, "\x1f", seed};
	for (int i = 0; i < 3; i++)
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
			h = (h ^ *p) * 0x100000001b3ull;
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

/* A version-4-style GUID from the seed, in GPT's on-disk byte order. */
static struct gpt_guid seed_guid(const char *seed, const char *purpose)
{
	struct gpt_guid g;
	char p2[64];
	uint64_t a = mkimage_hash(seed, purpose);
	snprintf(p2, sizeof p2, "%s/2", purpose);
	uint64_t b = mkimage_hash(seed, p2);
	for (int i = 0; i < 8; i++) {
		g.b[i] = (uint8_t)(a >> (8 * i));
		g.b[8 + i] = (uint8_t)(b >> (8 * i));
	}
	g.b[7] = (uint8_t)((g.b[7] & 0x0f) | 0x40); /* version: top of Data3 (LE) */
	g.b[8] = (uint8_t)((g.b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	return g;
}

/* Reads exactly n bytes of host file path into dst. */
static int read_host(const char *path, uint8_t *dst, uint64_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		mkimage_error("%s: %s", path, strerror(errno));
		return -1;
	}
	uint64_t done = 0;
	while (done < n) {
		size_t chunk = n - done > (1u << 30) ? (1u << 30) : (size_t)(n - done);
		ssize_t r = read(fd, dst + done, chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			mkimage_error("%s: %s", path,
			              r < 0 ? strerror(errno) : "file shrank while being read");
			close(fd);
			return -1;
		}
		done += (uint64_t)r;
	}
	close(fd);
	return 0;
}

/* Creates the subdirectories of dir, then recurses breadth-first so that
 * all directories sit together at the start of the data area. */
static int write_dirs(struct fat_writer *w, struct mkimage_node *dir)
{
	for (struct mkimage_node *c = dir->child; c; c = c->next) {
		if (c->host)
			continue;
		enum err e = fat_write_mkdir(w, dir->cluster, c->name, mkimage_tree_entries(c),
		                             &c->cluster);
		if (e != ERR_OK) {
			mkimage_error("%s: cannot create directory: %s", c->path,
			              e == ERR_NOSPC ? "the image is full" : err_str(e));
			return -1;
		}
	}
	for (struct mkimage_node *c = dir->child; c; c = c->next)
		if (!c->host && write_dirs(w, c) < 0)
			return -1;
	return 0;
}

/* Appends a file to the layout's list of contents to copy. */
static void note_file(struct mkimage_layout *lay, struct mkimage_node *f)
{
	if (lay->nfiles == lay->cap) {
		lay->cap = lay->cap ? lay->cap * 2 : 64;
		lay->files = realloc(lay->files, lay->cap * sizeof *lay->files);
		if (!lay->files) {
			mkimage_error("out of memory");
			exit(1);
		}
	}
	lay->files[lay->nfiles++] = f;
}

/* Creates the files of dir and of its subdirectories in the volume and
 * notes where their contents go (relative to disk). */
static int write_files(struct fat_writer *w, struct mkimage_node *dir, uint64_t size_mib,
                       const uint8_t *disk, struct mkimage_layout *lay)
{
	for (struct mkimage_node *c = dir->child; c; c = c->next) {
		if (!c->host) {
			if (write_files(w, c, size_mib, disk, lay) < 0)
				return -1;
			continue;
		}
		void *data;
		uint64_t free_bytes = fat_write_free_bytes(w);
		enum err e = fat_write_file(w, dir->cluster, c->name, c->size, &data);
		if (e == ERR_NOSPC) {
			mkimage_error(
			        "%s (from %s, %llu bytes) does not fit: %llu bytes free in the "
			        "%llu MiB image (use --size)",
			        c->path, c->host, (unsigned long long)c->size,
			        (unsigned long long)free_bytes, (unsigned long long)size_mib);
			return -1;
		}
		if (e != ERR_OK) {
			mkimage_error("%s: cannot create file: %s", c->path, err_str(e));
			return -1;
		}
		if (c->size) {
			c->offset = (uint64_t)((const uint8_t *)data - disk);
			note_file(lay, c);
		}
	}
	return 0;
}

/* The smallest image size in MiB that holds a FAT32 ESP. */
static uint64_t min_mib(void)
{
	struct fat_geometry g;
	uint64_t mib = 1;
	while (fat_write_geometry(mib * 2048 - GPT_FIRST_PARTITION_LBA - 34, MKIMAGE_SECTOR, 0,
	                          &g) != ERR_OK)
		mib++;
	return mib;
}

/* Formats the FAT32 volume of vol_bytes at first_lba of disk and creates
 * its directories and files. */
static int build_volume(const struct mkimage_opts *o, uint8_t *disk, uint64_t first_lba,
                        uint64_t vol_bytes, struct mkimage_layout *lay)
{
	uint8_t *vol = disk + first_lba * MKIMAGE_SECTOR;
	struct fat_writer w;
	struct fat_write_params p = {
	        .bytes_per_sector = MKIMAGE_SECTOR,
	        .hidden_sectors = GPT_FIRST_PARTITION_LBA,
	        .volume_id = (uint32_t)mkimage_hash(o->seed, "fat volume id"),
	        .label = "TESSERA",
	        .date = FAT_DATE(2024, 1, 1),
	        .time = FAT_TIME(0, 0, 0),
	        .root_entries = mkimage_tree_entries(&o->root),
	        .zeroed = 1, /* fresh anonymous memory */
	};
	enum err e = fat_write_format(&w, vol, vol_bytes, &p);
	if (e == ERR_RANGE) {
		mkimage_error("--size %llu MiB is too small for a FAT32 ESP: at least %llu MiB",
		              (unsigned long long)o->size_mib, (unsigned long long)min_mib());
		return -1;
	}
	if (e != ERR_OK) {
		mkimage_error("cannot format the ESP: %s", err_str(e));
		return -1;
	}
	struct mkimage_node *root = (struct mkimage_node *)&o->root;
	root->cluster = w.root_cluster;
	if (write_dirs(&w, root) < 0 || write_files(&w, root, o->size_mib, disk, lay) < 0)
		return -1;
	lay->used = first_lba * MKIMAGE_SECTOR + fat_write_used_bytes(&w);
	lay->cluster_bytes = w.cluster_bytes;
	return fat_write_finish(&w) == ERR_OK ? 0 : -1;
}

/* Reads a whole small host file (the MBR code or the stage) into buf. */
static long read_blob(const char *path, uint8_t *buf, size_t max, const char *what)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		mkimage_error("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		mkimage_error("%s: not a regular file", path);
		return -1;
	}
	if ((uint64_t)st.st_size > max) {
		mkimage_error("%s: %s is %lld bytes; at most %zu fit", path, what,
		              (long long)st.st_size, max);
		return -1;
	}
	return read_host(path, buf, (uint64_t)st.st_size) < 0 ? -1 : (long)st.st_size;
}

/* Places the BIOS loader stage at GPT_STAGE_LBA and the MBR boot code,
 * patched with the stage's location, in LBA 0. */
static int build_boot(const struct mkimage_opts *o, uint8_t *disk)
{
	long stage = 0;
	if (o->stage) {
		stage = read_blob(o->stage, disk + GPT_STAGE_LBA * MKIMAGE_SECTOR,
		                  GPT_STAGE_MAX_SECTORS * MKIMAGE_SECTOR,
		                  "the loader stage (LBA 34 up to the ESP at LBA 2048)");
		if (stage < 0)
			return -1;
	}
	if (!o->mbr)
		return 0;
	uint8_t code[GPT_MBR_BOOT_AREA];
	long len = read_blob(o->mbr, code, sizeof code, "the MBR boot code area");
	if (len < 0)
		return -1;
	uint32_t sectors = (uint32_t)((stage + MKIMAGE_SECTOR - 1) / MKIMAGE_SECTOR);
	if (gpt_write_mbr_boot(disk, code, (size_t)len, GPT_STAGE_LBA, sectors) != ERR_OK) {
		mkimage_error("%s: boot code runs past offset 0x%x, where the stage location is "
		              "patched in: MBR code must fit in %d bytes",
		              o->mbr, GPT_MBR_CODE_MAX, GPT_MBR_CODE_MAX);
		return -1;
	}
	return 0;
}

int mkimage_build(const struct mkimage_opts *o, uint8_t *disk, uint64_t size,
                  struct mkimage_layout *lay)
{
	struct gpt_layout l = {
	        .sector_size = MKIMAGE_SECTOR,
	        .disk_sectors = size / MKIMAGE_SECTOR,
	        .first_usable_lba = GPT_FIRST_PARTITION_LBA,
	        .disk_guid = seed_guid(o->seed, "gpt disk"),
	};
	uint64_t first, last;
	if (gpt_usable_range(&l, &first, &last) != ERR_OK) {
		mkimage_error("--size %llu MiB is too small for a FAT32 ESP: at least %llu MiB",
		              (unsigned long long)o->size_mib, (unsigned long long)min_mib());
		return -1;
	}
	struct gpt_partition esp = {
	        .index = 1,
	        .type = gpt_type_esp,
	        .guid = seed_guid(o->seed, "esp partition"),
	        .first_lba = first,
	        .last_lba = last,
	};
	const char *names[1] = {"EFI system partition"};
	if (build_volume(o, disk, first, (last - first + 1) * MKIMAGE_SECTOR, lay) < 0)
		return -1;
	if (build_boot(o, disk) < 0)
		return -1;
	enum err e = gpt_write(disk, &l, &esp, names, 1);
	if (e != ERR_OK) {
		mkimage_error("cannot write the partition table: %s", err_str(e));
		return -1;
	}
	return 0;
}
