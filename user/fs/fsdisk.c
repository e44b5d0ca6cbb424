/* The disk FS_DISK describes; see fsdisk.h. */
#include "fsdisk.h"

#include <string/mem.h>

enum err fsdisk_describe(struct fsrv_disk *d, const struct blockdev *dev, const char *driver,
                         const char *model, void *scratch)
{
	struct gpt_partition parts[FSRV_PARTS];
	uint32_t n = 0;
	enum err e = gpt_list(dev, scratch, parts, FSRV_PARTS, &n, NULL);

	memset(d, 0, sizeof *d);
	d->info.sectors = dev->sector_count;
	d->info.sector_size = dev->sector_size;
	mem_strlcpy(d->info.driver, driver, sizeof d->info.driver);
	mem_strlcpy(d->info.model, model, sizeof d->info.model);
	if (e)
		return e;
	d->info.parts = n < FSRV_PARTS ? n : FSRV_PARTS;
	for (uint32_t i = 0; i < d->info.parts; i++) {
		d->parts[i].index = parts[i].index;
		d->parts[i].first_lba = parts[i].first_lba;
		d->parts[i].last_lba = parts[i].last_lba;
		memcpy(d->parts[i].type, parts[i].type.b, sizeof d->parts[i].type);
	}
	return ERR_OK;
}
