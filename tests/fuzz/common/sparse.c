/* The sparse fuzz disk; see sparse.h. */
#include "sparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Copies sector lba into out: from the first extent holding it, else zeros
 * (or ERR_IO on a strict disk). */
static enum err read_sector(const struct sparse_disk *d, uint64_t lba, uint8_t *out)
{
	uint32_t ss = d->dev.sector_size;
	for (size_t i = 0; i < d->count; i++) {
		const struct sparse_extent *e = &d->ext[i];
		if (lba < e->lba || lba - e->lba >= e->sectors)
			continue;
		uint64_t off = (lba - e->lba) * ss;
		size_t n = off < e->bytes ? (size_t)(e->bytes - off) : 0;
		if (n > ss)
			n = ss;
		memcpy(out, e->data + off, n);
		memset(out + n, 0, ss - n);
		return ERR_OK;
	}
	if (d->strict)
		return ERR_IO;
	memset(out, 0, ss);
	return ERR_OK;
}

static enum err sparse_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct sparse_disk *d = ctx;
	uint64_t total = d->dev.sector_count;
	if (total && (lba >= total || count > total - lba)) {
		fprintf(stderr, "sparse disk: read of %u sectors at LBA %llu past the end (%llu)\n",
		        count, (unsigned long long)lba, (unsigned long long)total);
		abort();
	}
	uint8_t *out = buf;
	for (uint32_t i = 0; i < count; i++) {
		enum err e = read_sector(d, lba + i, out + (size_t)i * d->dev.sector_size);
		if (e != ERR_OK)
			return e;
	}
	d->reads += count;
	return ERR_OK;
}

int sparse_open(struct sparse_disk *d, const uint8_t *data, size_t size)
{
	if (size < SPARSE_HEADER)
		return -1;
	memset(d, 0, sizeof *d);
	d->dev.ctx = d;
	d->dev.sector_size = (data[0] & SPARSE_FLAG_4K) ? 4096 : 512;
	d->dev.sector_count = get32(data + 4);
	d->dev.read = sparse_read;
	d->strict = !!(data[0] & SPARSE_FLAG_STRICT);
	size_t at = SPARSE_HEADER;
	while (size - at >= SPARSE_EXTENT && d->count < SPARSE_MAX_EXTENTS) {
		struct sparse_extent *e = &d->ext[d->count++];
		e->lba = get32(data + at);
		e->sectors = get32(data + at + 4);
		at += SPARSE_EXTENT;
		uint64_t want = e->sectors * d->dev.sector_size;
		e->data = data + at;
		e->bytes = want < size - at ? (size_t)want : size - at;
		at += e->bytes;
	}
	return 0;
}
