/* The block service's protocol (user/README.md, "Drivers"): what a block
 * driver (vblk: virtio-blk) and its client (the file service) say over a
 * channel (rt/chan.h, 56-byte urpc payloads).  Data does not go through
 * the channel: the client lends the driver a buffer, BLK_BUF_PAGES frames
 * of its own memory, as a CNode of frame caps offered by the name
 * BLK_BUF_NAME (slot i: page i of the buffer), and one more frame in slot
 * BLK_CTL_SLOT for the device's own structures (virtio's queue, AHCI's
 * command list and table); the driver maps them and gives their physical
 * addresses to its device, which reads and writes them by DMA.  With an
 * IOMMU these frames are all the device reaches (rt/iommu.h): the client
 * has them mapped for the function before it spawns the driver.  A request names sectors and a byte
 * offset in the buffer.
 *
 * The client sends one request at a time and waits for its BLK_REPLY:
 *   BLK_INFO   -> sector size, sector count, the most sectors a request takes
 *   BLK_READ   struct blk_req: lba, count, buf_off -> the sectors in the buffer
 *   BLK_WRITE  struct blk_req: lba, count, buf_off -> written (the device
 *              has taken them: a write completes before the next starts,
 *              which is the order lib/fat's crash safety needs)
 *   BLK_FLUSH  -> the device's write cache is on stable storage
 * err is an enum err: RANGE sectors past the disk or bytes past the
 * buffer, INVAL a count of 0 or a misaligned offset, IO the device failed
 * (its status in dev_status), UNSUPPORTED a flush the device cannot do.
 */
#ifndef USER_DRIVERS_BLK_BLKPROTO_H
#define USER_DRIVERS_BLK_BLKPROTO_H

#include <stdint.h>
#include <tessera/urpc.h>

enum blk_msg_type {
	BLK_INFO = 0x4200,
	BLK_READ,
	BLK_WRITE,
	BLK_FLUSH,
	BLK_REPLY = 0x4280,
};

#define BLK_BUF_NAME  "blkbuf"
#define BLK_BUF_BITS  6 /* the buffer's CNode: 2^6 slots */
#define BLK_BUF_PAGES 32u
#define BLK_BUF_BYTES (BLK_BUF_PAGES * 4096u)
#define BLK_CTL_SLOT  BLK_BUF_PAGES /* the device's structures' frame */
#define BLK_DMA_PAGES (BLK_BUF_PAGES + 1u)

struct blk_req {
	uint64_t lba;
	uint32_t count;   /* sectors */
	uint32_t buf_off; /* bytes into the buffer, a multiple of the sector size */
	uint64_t tag;     /* echoed in the reply */
	uint8_t unused[32];
};

struct blk_reply {
	uint16_t err; /* enum err */
	uint8_t dev_status;
	uint8_t unused;
	uint32_t sector_size;
	uint64_t sector_count;
	uint64_t tag;
	uint32_t max_sectors; /* the most one request takes */
	char model[28];       /* what the driver drives ("virtio-blk 00:02.0") */
};

_Static_assert(sizeof(struct blk_req) == URPC_PAYLOAD_MAX, "one message");
_Static_assert(sizeof(struct blk_reply) == URPC_PAYLOAD_MAX, "one message");

#endif
