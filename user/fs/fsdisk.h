/* What FS_DISK says (fsproto.h): the disk under the volume, described
 * once when it is opened: its driver, the driver's model line, its size
 * and the used entries of its GPT.  Freestanding (host-tested). */
#ifndef USER_FS_FSDISK_H
#define USER_FS_FSDISK_H

#include <fat/blockdev.h>
#include <fat/gpt.h>

#include "fsrv.h"

/* scratch holds a sector and the partition array (gpt.h). */
#define FSDISK_SCRATCH (4096 + GPT_ARRAY_BYTES)

/* d filled for dev (driver, model: NUL-terminated, cut to fit).  A disk
 * without a readable GPT is described with no partitions; the error is
 * gpt_list's (d is complete all the same). */
enum err fsdisk_describe(struct fsrv_disk *d, const struct blockdev *dev, const char *driver,
                         const char *model, void *scratch);

#endif
