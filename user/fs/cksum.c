/* POSIX cksum; see cksum.h. */
#include "cksum.h"

/* One byte into the CRC, bit by bit (no table: files here are small). */
static uint32_t step(uint32_t crc, uint8_t byte)
{
	crc ^= (uint32_t)byte << 24;
	for (int i = 0; i < 8; i++)
		crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04c11db7u : crc << 1;
	return crc;
}

void cksum_add(struct cksum *c, const void *data, size_t n)
{
	const uint8_t *p = data;
	for (size_t i = 0; i < n; i++)
		c->crc = step(c->crc, p[i]);
	c->len += n;
}

uint32_t cksum_end(const struct cksum *c)
{
	uint32_t crc = c->crc;
	for (uint64_t n = c->len; n; n >>= 8) /* the length, low byte first */
		crc = step(crc, (uint8_t)n);
	return ~crc;
}
