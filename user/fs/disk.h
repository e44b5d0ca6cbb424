/* The file service on a disk (user/fs/README.md): the block driver
 * spawned and supervised through the block service's client
 * (user/drivers/blk/blkclient.h), the disk's EFI system partition found
 * in its GPT (lib/fat/gpt.h) and mounted; and what the tests and the
 * bench do on it through the protocol (fsproto.h), as a client would.
 */
#ifndef USER_FS_DISK_H
#define USER_FS_DISK_H

#include <rt/pci.h>
#include <rt/rt.h>

#include "../drivers/blk/blkclient.h"
#include "fsrv.h"

/* The guest file: GUEST_LINES lines "tessera guest line NNNNN\n"
 * (tests/storage/storage-test.sh makes the same on the host). */
#define GUEST_DIR   "guest"
#define GUEST_FILE  "written by tessera.txt"
#define GUEST_LINES 1000u
#define GUEST_LINE  25u /* bytes of each */

/* The boot disk's controller, opened through the PCI service pci: a
 * virtio-blk function first (1af4:1042, then the transitional 1af4:1001;
 * driver "vblk"), else an AHCI controller (class 01.06.01; "ahci"); want
 * "auto" either, or the one driver named.  NOENT neither. */
enum err disk_find(const struct rt_service *pci, const char *want, struct rt_pci_device *d,
                   const char **driver);

/* Spawns the driver (lending it the function d; argv: its first command
 * line), finds the ESP and mounts it on vol.  The errors of each step,
 * said on the log. */
enum err disk_open(struct blkc *b, const struct rt_pci_device *d, const char *driver,
                   const char *const *argv, unsigned argc, struct fs_vol *vol);

/* Writes the guest file through the protocol and reads it back; the
 * failures. */
unsigned disk_write_guest(struct fsrv *s);

/* rounds of create, write, truncate, rename, remove, mkdir and rmdir in
 * the directory "stress" (what the crash test cuts); the failures.
 * Round r's file "round R.txt" holds "round R " repeated, cut to
 * 100 + 37r mod 1500 bytes (half that when r mod 7 is 3); the last two
 * rounds' files stay. */
unsigned disk_stress(struct fsrv *s, unsigned rounds);

/* Sequential-read MB/s and 4 KiB random-read IOPS through the raw driver
 * and through the file service (the largest file of /boot), printed. */
void disk_bench(struct blkc *b, struct fsrv *s);

#endif
