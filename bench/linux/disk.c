/* Linux's storage figures (make bench-linux; bench/linux/README.md,
 * "Storage"): the probe run as "storage DISK SECTORS" loads the modules
 * the initramfs holds (/lib/modules/order, written at build time from
 * modules.dep), makes the disk's device nodes from sysfs and times the
 * same reads as Tessera's storage bench (user/fs/bench.c) with the sizes
 * and offsets of bench/storage/storagebench.h:
 *   - the raw device with O_DIRECT: STORAGE_SEQ_BYTES from sector 0 in
 *     SECTORS-sector requests (what Tessera's driver takes at once), then
 *     STORAGE_RANDOM_OPS 4 KiB reads at random 4 KiB-aligned offsets;
 *   - the ESP mounted read-only as vfat: the largest file of boot/modules
 *     read whole in 64 KiB requests until STORAGE_FILE_BYTES, then 4 KiB
 *     reads at random offsets in it.  Tessera's file service keeps no
 *     data cache, so every read here comes from the disk too: the page
 *     cache is dropped first (drop_caches), each pass's pages are dropped
 *     before it and each random read's page after it (POSIX_FADV_DONTNEED,
 *     not timed), and the random reads go without readahead
 *     (POSIX_FADV_RANDOM).
 * Lines: "bench-linux: storage: raw device: sequential read N KiB/s ...",
 * "... raw device: 4 KiB random read N IOPS", the same with "vfat:". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../storage/storagebench.h"
#include "disk.h"
#include "rt/rt.h"

#define MODULES   "/lib/modules/"
#define MNT       "/mnt"
#define WAIT_DISK 200 /* times 50 ms: how long the disk may take to appear */

static uint64_t rng = STORAGE_RANDOM_SEED;

/* Says what failed and why; 1. */
static int fail(const char *what, const char *detail)
{
	printf("bench-linux: failed storage: %s: %s\n", what, detail);
	return 1;
}

static uint64_t rate(uint64_t amount, uint64_t cycles)
{
	return cycles ? amount * rt_cycles_hz() / cycles : 0;
}

/* ---- set-up: modules, device nodes, mounts ---- */

static int load_module(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, MODULES "%s", name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(path, strerror(errno));
	long r = syscall(SYS_finit_module, fd, "", 0);
	int e = errno;
	close(fd);
	if (r != 0 && e != EEXIST)
		return fail(path, strerror(e));
	return 0;
}

/* Every module of MODULES "order", one file name a line, in that order. */
static int load_modules(void)
{
	FILE *f = fopen(MODULES "order", "r");
	char line[256];
	unsigned n = 0;
	if (!f)
		return fail(MODULES "order", strerror(errno));
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0])
			continue;
		if (load_module(line)) {
			fclose(f);
			return 1;
		}
		n++;
	}
	fclose(f);
	printf("bench-linux: storage: %u modules loaded\n", n);
	return 0;
}

/* The first line of a small file into buf; false if it cannot be read. */
static bool read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	bool ok = f && fgets(buf, (int)size, f);
	if (f)
		fclose(f);
	if (ok)
		buf[strcspn(buf, "\r\n")] = 0;
	return ok;
}

/* /dev/NODE as the block device sysfs names in SYSDIR/dev ("MAJ:MIN"),
 * waiting for it to appear (AHCI's ports are scanned in the background). */
static int make_node(const char *sysdir, const char *node)
{
	char path[256], dev[32], out[64];
	unsigned maj, min;
	snprintf(path, sizeof path, "%s/dev", sysdir);
	for (int i = 0; !read_line(path, dev, sizeof dev); i++) {
		if (i == WAIT_DISK)
			return fail(path, "no such device (the disk never appeared)");
		usleep(50000);
	}
	if (sscanf(dev, "%u:%u", &maj, &min) != 2)
		return fail(path, dev);
	snprintf(out, sizeof out, "/dev/%s", node);
	if (mknod(out, S_IFBLK | 0600, makedev(maj, min)) && errno != EEXIST)
		return fail(out, strerror(errno));
	return 0;
}

static int mount_pseudo(void)
{
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir(MNT, 0755);
	if (mount("proc", "/proc", "proc", 0, NULL) && errno != EBUSY)
		return fail("mount /proc", strerror(errno));
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) && errno != EBUSY)
		return fail("mount /sys", strerror(errno));
	return 0;
}

/* ---- the raw device ---- */

static int raw_seq(int fd, uint64_t sectors, unsigned per, uint8_t *buf)
{
	uint64_t bytes = 0, t = rt_cycles(), lba;
	size_t len = (size_t)per * 512;
	for (lba = 0; bytes < STORAGE_SEQ_BYTES && lba + per <= sectors; lba += per) {
		if (pread(fd, buf, len, (off_t)(lba * 512)) != (ssize_t)len)
			return fail("raw sequential read", strerror(errno));
		bytes += len;
		if (lba == 0 && (buf[510] != 0x55 || buf[511] != 0xaa ||
		                 (per > 1 && memcmp(buf + 512, "EFI PART", 8))))
			return fail("raw sequential read",
			            "sector 0 is no protective MBR before a GPT");
	}
	t = rt_cycles() - t;
	printf("bench-linux: storage: raw device: sequential read %llu KiB/s (%llu KiB in "
	       "%u-sector requests, O_DIRECT)\n",
	       (unsigned long long)(rate(bytes, t) >> 10), (unsigned long long)(bytes >> 10), per);
	return 0;
}

static int raw_random(int fd, uint64_t sectors, uint8_t *buf)
{
	const uint64_t blocks = sectors / (STORAGE_RANDOM_SIZE / 512);
	uint64_t t = rt_cycles();
	for (unsigned i = 0; i < STORAGE_RANDOM_OPS; i++) {
		off_t off = (off_t)(storage_next(&rng) % blocks * STORAGE_RANDOM_SIZE);
		if (pread(fd, buf, STORAGE_RANDOM_SIZE, off) != STORAGE_RANDOM_SIZE)
			return fail("raw random read", strerror(errno));
	}
	t = rt_cycles() - t;
	printf("bench-linux: storage: raw device: 4 KiB random read %llu IOPS\n",
	       (unsigned long long)rate(STORAGE_RANDOM_OPS, t));
	return 0;
}

static int raw(const char *node, unsigned per)
{
	char path[128], size[32];
	snprintf(path, sizeof path, "/sys/block/%s/size", node);
	if (!read_line(path, size, sizeof size))
		return fail(path, strerror(errno));
	uint64_t sectors = strtoull(size, NULL, 10);
	snprintf(path, sizeof path, "/dev/%s", node);
	int fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0)
		return fail(path, strerror(errno));
	void *buf = NULL;
	size_t len =
	        (size_t)per * 512 > STORAGE_RANDOM_SIZE ? (size_t)per * 512 : STORAGE_RANDOM_SIZE;
	int e = posix_memalign(&buf, 4096, len) ? fail("buffer", "out of memory") : 0;
	printf("bench-linux: storage: %s: %llu sectors of 512 bytes\n", path,
	       (unsigned long long)sectors);
	if (!e && sectors < (STORAGE_RANDOM_SIZE / 512))
		e = fail(path, "smaller than one random read");
	if (!e)
		e = raw_seq(fd, sectors, per, buf);
	if (!e)
		e = raw_random(fd, sectors, buf);
	free(buf);
	close(fd);
	return e;
}

/* ---- through vfat ---- */

/* The first of the largest regular files in dir (directory order, as
 * Tessera's bench picks it) into path; its size, 0 if none. */
static off_t largest(const char *dir, char *path, size_t size)
{
	DIR *d = opendir(dir);
	off_t best = 0;
	struct dirent *e;
	char p[512];
	while (d && (e = readdir(d))) {
		struct stat st;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > best) {
			best = st.st_size;
			snprintf(path, size, "%s", p);
		}
	}
	if (d)
		closedir(d);
	return best;
}

static int drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
	bool ok = fd >= 0 && write(fd, "3\n", 2) == 2;
	if (fd >= 0)
		close(fd);
	return ok ? 0 : fail("/proc/sys/vm/drop_caches", strerror(errno));
}

/* Whole passes over the file, each from the disk. */
static int file_seq(int fd, off_t size, uint8_t *buf)
{
	uint64_t bytes = 0, t = 0;
	while (bytes < STORAGE_FILE_BYTES) {
		if (posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
			return fail("posix_fadvise DONTNEED", "refused");
		uint64_t t0 = rt_cycles();
		for (off_t off = 0; off < size; off += STORAGE_FILE_REQ) {
			size_t want = size - off < STORAGE_FILE_REQ ? (size_t)(size - off)
			                                            : STORAGE_FILE_REQ;
			if (pread(fd, buf, STORAGE_FILE_REQ, off) != (ssize_t)want)
				return fail("vfat sequential read", strerror(errno));
			bytes += want;
		}
		t += rt_cycles() - t0;
	}
	printf("bench-linux: storage: vfat: sequential read %llu KiB/s (a %lld-byte file, "
	       "64 KiB requests)\n",
	       (unsigned long long)(rate(bytes, t) >> 10), (long long)size);
	return 0;
}

/* Random 4 KiB reads, each from the disk: no readahead, the page dropped
 * after it (not timed). */
static int file_random(int fd, off_t size, uint8_t *buf)
{
	uint64_t t = 0;
	if (drop_caches())
		return 1;
	if (posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM))
		return fail("posix_fadvise RANDOM", "refused");
	for (unsigned i = 0; i < STORAGE_RANDOM_OPS; i++) {
		off_t off = (off_t)(storage_next(&rng) % ((uint64_t)size / STORAGE_RANDOM_SIZE) *
		                    STORAGE_RANDOM_SIZE);
		uint64_t t0 = rt_cycles();
		if (pread(fd, buf, STORAGE_RANDOM_SIZE, off) != STORAGE_RANDOM_SIZE)
			return fail("vfat random read", strerror(errno));
		t += rt_cycles() - t0;
		posix_fadvise(fd, off, STORAGE_RANDOM_SIZE, POSIX_FADV_DONTNEED);
	}
	printf("bench-linux: storage: vfat: 4 KiB random read %llu IOPS\n",
	       (unsigned long long)rate(STORAGE_RANDOM_OPS, t));
	return 0;
}

static int through_vfat(const char *part)
{
	char dev[64], path[512];
	snprintf(dev, sizeof dev, "/dev/%s", part);
	if (mount(dev, MNT, "vfat", MS_RDONLY, NULL))
		return fail("mount -t vfat -o ro", strerror(errno));
	off_t size = largest(MNT "/" STORAGE_FILE_DIR, path, sizeof path);
	if (size < (off_t)STORAGE_RANDOM_SIZE)
		return fail(MNT "/" STORAGE_FILE_DIR, "no file of 4 KiB or more");
	printf("bench-linux: storage: %s: %lld bytes\n", path, (long long)size);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint8_t *buf = malloc(STORAGE_FILE_REQ);
	int e = fd < 0 ? fail(path, strerror(errno)) : !buf ? fail("buffer", "out of memory") : 0;
	if (!e)
		e = drop_caches();
	if (!e)
		e = file_seq(fd, size, buf);
	if (!e)
		e = file_random(fd, size, buf);
	free(buf);
	if (fd >= 0)
		close(fd);
	umount(MNT);
	return e;
}

int disk_run(const char *disk, unsigned sectors)
{
	const char *node = !strcmp(disk, "virtio") ? "vda" : !strcmp(disk, "ahci") ? "sda" : NULL;
	char sys[64], part[16];
	if (!node)
		return fail(disk, "the disk is virtio or ahci");
	if (sectors == 0 || sectors > 4096)
		return fail("request size", "1 to 4096 sectors");
	printf("bench-linux: storage: %s disk, %u-sector requests\n", disk, sectors);
	snprintf(part, sizeof part, "%s1", node);
	snprintf(sys, sizeof sys, "/sys/block/%s", node);
	int e = mount_pseudo() || load_modules() || make_node(sys, node);
	snprintf(sys, sizeof sys, "/sys/block/%s/%s", node, part);
	if (!e)
		e = make_node(sys, part) || raw(node, sectors) || through_vfat(part);
	return e;
}
