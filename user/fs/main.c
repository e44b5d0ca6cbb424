/* fs: the file service (user/fs/README.md).  Given the PCI service
 * ("pci"), it opens the boot disk's controller (virtio-blk first, else
 * AHCI: disk_find), spawns that one's block driver and lends it the
 * device (disk.h) — with the IOMMU service ("iommu"), only after the frames
 * it lends the driver are all its device's DMA reaches — mounts the boot disk's EFI system
 * partition and, with the module "espsums" (the build's cksum(1) of every file of that partition,
 * tests/storage/mksums.sh), reads each file through the protocol and
 * compares; then writes the guest file, runs the stress rounds and the
 * bench its command line asks for.  Without them its volume is the boot
 * module "fsimage" on a RAM disk (ramdisk.h), checked against "fssums".
 * The checks are in-process clients speaking the protocol (check.h).
 * Then it serves its channel: the one init made for the file service
 * (SLOT_MON_CHAN: its control clients' file requests, passed on, each
 * client with handles of its own and every right on the root: fsrv_take),
 * or the channel it was given (rt_chan_given: one client); else it waits.  A machine without such a
 * disk: it says so and ends with 0, and init answers the shell's file requests itself ("no file
 * service is running").
 */
#include <fmt/fmt.h>
#include <fs_args.h>
#include <rt/args.h>
#include <rt/chan.h>
#include <rt/heap.h>
#include <rt/image.h>
#include <rt/module.h>
#include <rt/monproto.h>
#include <rt/pci.h>
#include <rt/rt.h>
#include <string/mem.h>

#include "check.h"
#include "disk.h"
#include "fsdisk.h"
#include "fsrv.h"
#include "ramdisk.h"

static struct rt_chan chan;
static struct fs_args args;

static enum err send_chan(void *ctx, unsigned client, uint16_t type, const void *p, size_t len)
{
	(void)ctx;
	(void)client;
	return rt_chan_send(&chan, type, p, len);
}

/* Serves the channel given until the other side goes away: one client,
 * or init's several (FS_CLIENT says whose each request is: fsrv_take). */
static void serve(struct fsrv *s)
{
	struct rt_chan *one[1] = {&chan};
	struct rt_capref self = rt_root_ref(SLOT_NOTIFY);
	for (;;) {
		struct urpc_msg m;
		enum err e = rt_chan_recv(&chan, &m);
		if (e == ERR_EMPTY) {
			rt_chan_wait(self, one, 1);
			continue;
		}
		if (e != ERR_OK)
			return;
		e = fsrv_take(s, &m);
		if (e == ERR_INVAL) /* a tag out of range: init's mistake, said */
			rt_printf("fs: channel message %#x refused\n", m.type);
		else if (e)
			return;
	}
}

/* The channel init made for the file service, side 1 (as the shell's). */
static enum err init_chan(struct rt_chan *c)
{
	struct cap_results_identify id;
	uint64_t at;

	if (invoke_identify(SLOT_MON_CHAN, rt_depth(), &id) || id.type != CAP_FRAME)
		return ERR_NOENT;
	at = rt_map_area(1);
	enum err e = at ? rt_map(rt_root_ref(SLOT_MON_CHAN), at, CAP_RIGHT_READ | CAP_RIGHT_WRITE)
	                : ERR_NOMEM;
	if (!e)
		e = rt_chan_init(c, (void *)(uintptr_t)at, 1, false, rt_root_ref(SLOT_NOTIFY),
		                 rt_root_ref(SLOT_MON_NOTIFY), CLIENT_BIT_MON);
	return e;
}

/* The RAM disk over the module fsimage, mounted on vol. */
static enum err open_ram(struct fs_vol *vol)
{
	const struct bootinfo_module *img = rt_module("fsimage");
	struct ramdisk *rd = malloc(sizeof *rd);
	struct rt_mapping mi;
	enum err e = !img || !rd ? ERR_NOENT : rt_module_map(img, &mi);

	if (e) {
		rt_printf("fs: no volume (neither the PCI service nor the module fsimage)\n");
		return e;
	}
	memset(vol, 0, sizeof *vol);
	e = ramdisk_open(rd, mi.data, mi.size, malloc);
	if (e == ERR_OK)
		e = fs_mount(vol, &rd->dev, 0);
	if (e != ERR_OK)
		rt_printf("fs: fsimage: %s: %s\n", err_str(e), fs_msg(vol));
	return e;
}

/* The checks on the volume (the list of checksums is the module sums);
 * the failures. */
static unsigned self_check(struct fsrv *s, const char *sums, bool disk)
{
	const struct bootinfo_module *m = rt_module(sums);
	struct rt_mapping ms;
	uint32_t root;
	unsigned bad = 0;

	if (!m || rt_module_map(m, &ms) != ERR_OK)
		return 0;
	bad += fsrv_grant(s, 0, "/", FS_R_READ | FS_R_WALK, &root) != ERR_OK;
	bad += check_sums(s, root, ms.data, ms.size);
	if (disk)
		bad += check_confined(s, root, "/boot", "../EFI/BOOT/BOOTX64.EFI");
	else
		bad += check_confined(s, root, "/docs", "../README.TXT");
	bad += check_writer(s);
	rt_printf("fs: self-check %s\n", bad ? "failed" : "passed");
	return bad;
}

/* The boot disk's device and driver found (disk_find) and opened; NOENT
 * no disk (said here). */
static enum err open_disk(struct blkc *blk, const struct rt_service *pci, struct fs_vol *vol)
{
	static struct rt_pci_device dev;
	static char crash[16];
	static const char *argv[3] = {"--crash-after", crash};
	static struct rt_service iommu;
	const char *driver;
	unsigned argc = 0;
	enum err e = disk_find(pci, args.driver, &dev, &driver);

	if (e == ERR_NOENT)
		rt_printf("fs: no disk: no %s; no files served\n",
		          !strcmp(args.driver, "ahci") ? "AHCI controller"
		          : !strcmp(args.driver, "vblk")
		                  ? "virtio-blk function"
		                  : "virtio-blk function and no AHCI controller");
	else if (e)
		rt_printf("fs: the PCI service refused the disk: %s\n", err_str(e));
	else if (!rt_module(driver)) {
		rt_printf("fs: no driver module %s\n", driver);
		e = ERR_NOENT;
	}
	if (e)
		return e;
	fmt_snprintf(crash, sizeof crash, "%llu", (unsigned long long)args.crash_driver);
	if (args.crash_driver)
		argc = 2;
	if (args.dma_outside && !strcmp(driver, "ahci"))
		argv[argc++] = "--dma-outside";
	if (rt_service_find("iommu", &iommu) == ERR_OK)
		blk->iommu = &iommu;
	blk->bdf = (uint16_t)(dev.a.bus << 8 | dev.a.dev << 3 | dev.a.fn);
	return disk_open(blk, &dev, driver, argv, argc, vol);
}

/* What FS_DISK answers for the boot disk (fsdisk.h); NULL no memory. */
static const struct fsrv_disk *describe(const struct blkc *b)
{
	struct fsrv_disk *d = malloc(sizeof *d);
	void *scratch = malloc(FSDISK_SCRATCH);
	enum err e = d && scratch ? fsdisk_describe(d, &b->dev, b->driver, b->model, scratch)
	                          : ERR_NOMEM;

	free(scratch);
	if (e == ERR_NOMEM) {
		free(d);
		return NULL;
	}
	if (e)
		rt_printf("fs: the disk's partitions cannot be listed: %s\n", err_str(e));
	return d;
}

int main(void)
{
	static struct blkc blk;
	struct fs_vol *vol = malloc(sizeof *vol);
	struct fsrv *s = malloc(sizeof *s);
	struct rt_service pci;
	unsigned bad = 0;

	RT_ARGS(fs_args, &args);
	bool disk = rt_service_find("pci", &pci) == ERR_OK;
	if (!vol || !s)
		return 1;
	enum err e = disk ? open_disk(&blk, &pci, vol) : open_ram(vol);
	if (e == ERR_NOENT && disk)
		return 0;
	if (e)
		return 1;
	check_init(s, vol);
	bad += self_check(s, disk ? "espsums" : "fssums", disk);
	if (disk && rt_module("espsums")) { /* the storage image's tests */
		bad += disk_write_guest(s);
		if (args.stress)
			bad += disk_stress(s, (unsigned)args.stress);
		if (args.bench)
			disk_bench(&blk, s);
		rt_printf("fs: done: %u checks failed, %llu block requests, the driver restarted "
		          "%u times\n",
		          bad, (unsigned long long)blk.requests, blk.restarts);
	}
	if (disk)
		rt_printf("fs: serving %s\n", blk.model);
	if (init_chan(&chan) == ERR_OK || rt_chan_given(&chan) == ERR_OK) {
		fsrv_init(s, vol, send_chan, NULL);
		s->disk = disk ? describe(&blk) : NULL;
		if (fsrv_root(s, 0) == ERR_OK)
			serve(s);
	} else if (disk) { /* the disk stays mounted for clients to come */
		for (;;)
			invoke_notify_wait(rt_cap(SLOT_NOTIFY), rt_depth(), 0, NULL);
	}
	return bad > 125 ? 125 : (int)bad;
}
