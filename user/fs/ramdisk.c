/* The RAM block device; see ramdisk.h. */
#include "ramdisk.h"

#include <string/mem.h>

#define SLOTS (RAMDISK_WRITTEN * 2)

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The heap copy of sector lba (made when add is set and there is room). */
static uint8_t **written(struct ramdisk *rd, uint64_t lba, int add)
{
	unsigned h = (unsigned)((lba * 2654435761u) % SLOTS);
	for (unsigned i = 0; i < SLOTS; i++, h = (h + 1) % SLOTS) {
		if (rd->sec[h] && rd->lba[h] == lba)
			return &rd->sec[h];
		if (rd->sec[h])
			continue;
		if (!add || rd->written >= RAMDISK_WRITTEN)
			return NULL;
		uint8_t *p = rd->alloc(RAMDISK_SECTOR);
		if (!p)
			return NULL;
		rd->lba[h] = lba;
		rd->sec[h] = p;
		rd->written++;
		return &rd->sec[h];
	}
	return NULL;
}

/* Sector lba as the image has it: from the first run holding it, or zeros. */
static void image_sector(const struct ramdisk *rd, uint64_t lba, uint8_t *out)
{
	for (size_t i = 0; i < rd->runs; i++) {
		const struct ramdisk_run *r = &rd->run[i];
		if (lba < r->lba || lba - r->lba >= r->sectors)
			continue;
		uint64_t off = (lba - r->lba) * RAMDISK_SECTOR;
		size_t n = off < r->bytes ? (size_t)(r->bytes - off) : 0;
		n = n < RAMDISK_SECTOR ? n : RAMDISK_SECTOR;
		memcpy(out, r->data + off, n);
		memset(out + n, 0, RAMDISK_SECTOR - n);
		return;
	}
	memset(out, 0, RAMDISK_SECTOR);
}

static enum err rd_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct ramdisk *rd = ctx;
	if (lba >= rd->dev.sector_count || count > rd->dev.sector_count - lba)
		return ERR_RANGE;
	for (uint32_t i = 0; i < count; i++) {
		uint8_t *out = (uint8_t *)buf + (size_t)i * RAMDISK_SECTOR;
		uint8_t **w = written(rd, lba + i, 0);
		if (w)
			memcpy(out, *w, RAMDISK_SECTOR);
		else
			image_sector(rd, lba + i, out);
	}
	return ERR_OK;
}

static enum err rd_write(void *ctx, uint64_t lba, uint32_t count, const void *buf)
{
	struct ramdisk *rd = ctx;
	if (lba >= rd->dev.sector_count || count > rd->dev.sector_count - lba)
		return ERR_RANGE;
	for (uint32_t i = 0; i < count; i++) {
		uint8_t **w = written(rd, lba + i, 1);
		if (!w)
			return ERR_NOMEM;
		memcpy(*w, (const uint8_t *)buf + (size_t)i * RAMDISK_SECTOR, RAMDISK_SECTOR);
	}
	return ERR_OK;
}

enum err ramdisk_open(struct ramdisk *rd, const uint8_t *image, size_t size, void *(*alloc)(size_t))
{
	memset(rd, 0, sizeof *rd);
	if (size < 8 || (image[0] & 1) || get32(image + 4) == 0)
		return ERR_CORRUPT;
	rd->alloc = alloc;
	rd->dev = (struct blockdev){.ctx = rd,
	                            .sector_size = RAMDISK_SECTOR,
	                            .sector_count = get32(image + 4),
	                            .read = rd_read,
	                            .write = rd_write};
	size_t at = 8;
	while (size - at >= 8) {
		if (rd->runs == RAMDISK_RUNS)
			return ERR_CORRUPT;
		struct ramdisk_run *r = &rd->run[rd->runs++];
		r->lba = get32(image + at);
		r->sectors = get32(image + at + 4);
		at += 8;
		uint64_t want = r->sectors * RAMDISK_SECTOR;
		r->data = image + at;
		r->bytes = want < size - at ? (size_t)want : size - at;
		at += r->bytes;
	}
	return ERR_OK;
}
