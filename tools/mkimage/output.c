/* mkimage: the output file.  The image is laid out in lazily zeroed
 * anonymous memory; then the used head (GPT, boot code, stage, FAT
 * metadata and directories) and the backup GPT are written into a sparse
 * temporary file, the file contents are copied straight from the inputs
 * (copy_file_range, so they never pass through this process), and the
 * file is renamed over the target. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mkimage.h"

/* Writes len bytes of disk at offset off of fd (the same offset). */
static int write_run(int fd, const uint8_t *disk, uint64_t off, uint64_t len)
{
	while (len) {
		size_t chunk = len > (1u << 30) ? (1u << 30) : (size_t)len;
		ssize_t n = pwrite(fd, disk + off, chunk, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			mkimage_error("%s: %s", mkimage_tmp_path,
			              n < 0 ? strerror(errno) : "short write");
			return -1;
		}
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

/* Whether the 4 KiB block at p is all zero. */
static int zero_block(const uint8_t *p)
{
	uint64_t acc = 0;
	for (size_t i = 0; i < 4096; i += 8) {
		uint64_t v;
		memcpy(&v, p + i, 8);
		acc |= v;
	}
	return acc == 0;
}

/* Writes the nonzero 4 KiB blocks among len bytes of disk at offset off of
 * fd: the file is new, so what is skipped reads as zero. */
static int write_at(int fd, const uint8_t *disk, uint64_t off, uint64_t len)
{
	uint64_t end = off + len, run = off;
	while (off < end) {
		uint64_t next = (off | 4095) + 1 < end ? (off | 4095) + 1 : end;
		int zero = next - off == 4096 && zero_block(disk + off);
		if (zero && run < off && write_run(fd, disk, run, off - run) < 0)
			return -1;
		off = next;
		if (zero)
			run = off;
	}
	return run < end ? write_run(fd, disk, run, end - run) : 0;
}

/* Copies what is left of in to fd at *off through a buffer, for file
 * systems where copy_file_range does not work. */
static ssize_t copy_slow(int in, int fd, loff_t *off, uint64_t left)
{
	static uint8_t buf[1 << 20];
	ssize_t n = read(in, buf, left < sizeof buf ? (size_t)left : sizeof buf);
	if (n <= 0)
		return n;
	for (ssize_t done = 0; done < n;) {
		ssize_t w = pwrite(fd, buf + done, (size_t)(n - done), *off);
		if (w <= 0)
			return -1;
		done += w;
		*off += w;
	}
	return n;
}

/* Copies the size bytes of file f's host file to its offset in fd. */
static int copy_file(int fd, const struct mkimage_node *f)
{
	int in = open(f->host, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		mkimage_error("%s: %s", f->host, strerror(errno));
		return -1;
	}
	loff_t off = (loff_t)f->offset;
	uint64_t left = f->size;
	int fast = 1;
	while (left) {
		ssize_t n = -1;
		if (fast)
			n = copy_file_range(in, NULL, fd, &off, left, 0);
		if (n < 0 && fast && errno != EINTR) {
			fast = 0; /* EXDEV, EINVAL, ENOSYS...: copy by hand */
			continue;
		}
		if (!fast)
			n = copy_slow(in, fd, &off, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			mkimage_error("%s: %s", f->host,
			              n < 0 ? strerror(errno) : "file shrank while being copied");
			close(in);
			return -1;
		}
		left -= (uint64_t)n;
	}
	close(in);
	return 0;
}

/* Writes the laid-out image into fd: metadata from memory around the
 * file contents, which come from the input files. */
static int write_out(int fd, const uint8_t *disk, uint64_t size, const struct mkimage_layout *l)
{
	uint64_t pos = 0;
	for (size_t i = 0; i < l->nfiles; i++) {
		const struct mkimage_node *f = l->files[i];
		/* less than a cluster between two files is the first one's
		 * zero padding; a directory cluster in between makes it more */
		if (f->offset - pos >= l->cluster_bytes &&
		    write_at(fd, disk, pos, f->offset - pos) < 0)
			return -1;
		if (copy_file(fd, f) < 0)
			return -1;
		pos = f->offset + f->size;
	}
	if (write_at(fd, disk, pos, l->used - pos) < 0 ||
	    write_at(fd, disk, size - MKIMAGE_TAIL_BYTES, MKIMAGE_TAIL_BYTES) < 0)
		return -1;
	if (ftruncate(fd, (off_t)size) < 0) {
		mkimage_error("%s: %s", mkimage_tmp_path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Lays the image out in anonymous memory and writes it into fd. */
static int build_into(const struct mkimage_opts *o, int fd, uint64_t size)
{
	struct mkimage_layout lay = {0};
	uint8_t *disk = mmap(NULL, size, PROT_READ | PROT_WRITE,
	                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (disk == MAP_FAILED) {
		mkimage_error("cannot map %llu MiB of memory for the image: %s",
		              (unsigned long long)o->size_mib, strerror(errno));
		return -1;
	}
	int rc = mkimage_build(o, disk, size, &lay);
	if (rc == 0)
		rc = write_out(fd, disk, size, &lay);
	munmap(disk, size);
	free(lay.files);
	return rc;
}

int mkimage_write(const struct mkimage_opts *o)
{
	uint64_t size = o->size_mib << 20;
	size_t n = strlen(o->out) + 32;
	if (!(mkimage_tmp_path = malloc(n)))
		return -1;
	snprintf(mkimage_tmp_path, n, "%s.tmp.%ld", o->out, (long)getpid());
	int fd = open(mkimage_tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		mkimage_error("%s: %s", mkimage_tmp_path, strerror(errno));
		return -1;
	}
	int rc = build_into(o, fd, size);
	if (close(fd) < 0 && rc == 0) {
		mkimage_error("%s: %s", mkimage_tmp_path, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(mkimage_tmp_path, o->out) < 0) {
		mkimage_error("%s: %s", o->out, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(mkimage_tmp_path);
	return rc;
}
