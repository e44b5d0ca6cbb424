/* The POSIX cksum checksum (IEEE Std 1003.1, "cksum": CRC-32 with the
 * polynomial 0x04C11DB7, most significant bit first, over the bytes and
 * then the length), so a program can check a file against the list the
 * build makes with the host's cksum(1).  Incremental.
 */
#ifndef USER_FS_CKSUM_H
#define USER_FS_CKSUM_H

#include <stddef.h>
#include <stdint.h>

struct cksum {
	uint32_t crc;
	uint64_t len;
};

static inline void cksum_init(struct cksum *c)
{
	c->crc = 0;
	c->len = 0;
}

void cksum_add(struct cksum *c, const void *data, size_t n);

/* The checksum as cksum(1) prints it. */
uint32_t cksum_end(const struct cksum *c);

#endif
