/* The client side of the block service (blkproto.h): the client spawns
 * its block driver as a child and is its supervisor.  It lends the driver
 * a buffer (BLK_BUF_PAGES frames of its own memory in a CNode), joins it
 * by a channel it makes itself (side 0 here, side 1 the driver's), and
 * offers it the device caps it was given.  Requests go one at a time; a
 * client that holds the IOMMU service (b->iommu, set before blkc_start)
 * has every lent frame mapped for the function b->bdf first.  A
 * driver that ends while a request is outstanding is killed, spawned
 * again and the request sent again (BLKC_RESTARTS times at most).
 * blkc_dev is a lib/fat block device over it (fat/blockdev.h).
 */
#ifndef USER_DRIVERS_BLK_BLKCLIENT_H
#define USER_DRIVERS_BLK_BLKCLIENT_H

#include <fat/blockdev.h>
#include <rt/chan.h>
#include <rt/spawn.h>

#include "blkproto.h"

#define BLKC_RESTARTS  4
#define BLKC_BIT_ENDED (1ull << 5) /* the driver stopped (DISP_NOTIFY) */

struct blkc {
	struct blockdev dev;
	const char *driver;             /* its boot module */
	struct rt_capref device;        /* the CNode of the PCI function it drives */
	const struct rt_service *iommu; /* NULL: none given (set before blkc_start) */
	uint16_t bdf;                   /* the function's bus << 8 | dev << 3 | fn */
	const char *const *argv;        /* the first spawn's command line */
	unsigned argc;
	struct spawn_child child;
	bool running;
	struct rt_chan chan;
	struct rt_capref note;  /* this side's notification (its own, made here) */
	struct rt_capref frame; /* the channel's frame, mapped at frame_va */
	uint64_t frame_va;
	struct rt_capref bufcn; /* the buffer's frames, slot i page i */
	uint8_t *buf;           /* the buffer, mapped here too */
	uint64_t tag;
	uint32_t max_sectors;
	char model[28];
	unsigned restarts;
	uint64_t requests;
};

/* Spawns the driver module `driver` (lending it the PCI function's CNode
 * `device`, the buffer and the channel; argv its first command line),
 * and asks it for the disk's size (BLK_INFO).  NOENT no such module; the
 * spawn's, the driver's and the memory errors. */
enum err blkc_start(struct blkc *b, const char *driver, struct rt_capref device,
                    const char *const *argv, unsigned argc);

/* One request of the protocol; the reply into *r.  The buffer is b->buf. */
enum err blkc_call(struct blkc *b, uint16_t type, uint64_t lba, uint32_t count, uint32_t buf_off,
                   struct blk_reply *r);

#endif
