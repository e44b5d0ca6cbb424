/* Linux's storage figures (bench/linux/disk.c): the probe as
 * "storage DISK SECTORS". */
#ifndef BENCH_LINUX_DISK_H
#define BENCH_LINUX_DISK_H

/* Loads the initramfs's modules, then times raw and vfat reads of the
 * disk (virtio: /dev/vda, ahci: /dev/sda), SECTORS a raw sequential
 * request; 0, or 1 after a "bench-linux: failed storage:" line. */
int disk_run(const char *disk, unsigned sectors);

#endif
