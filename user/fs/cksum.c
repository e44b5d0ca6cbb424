/* POSIX cksum; see cksum.h. */
#include "cksum.h"

/* One byte into the CRC, bit by bit. */
static uint32_t step(uint32_t crc, uint8_t byte)
{
	crc ^= (uint32_t)byte << 24;
	for (int i = 0; i < 8; i++)
		crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04c11db7u : crc << 1;
	return crc;
}

/* step's effect of each byte value on a CRC of 0, made once: a byte is
 * then one lookup (the whole boot disk is checked). */
static uint32_t table[256];

void cksum_add(struct cksum *c, const void *data, size_t n)
{
	const uint8_t *p = data;
	if (!table[1])
		for (unsigned b = 0; b < 256; b++)
			table[b] = step(0, (uint8_t)b);
	for (size_t i = 0; i < n; i++)
		c->crc = c->crc << 8 ^ table[(c->crc >> 24 ^ p[i]) & 0xff];
	c->len += n;
}

uint32_t cksum_end(const struct cksum *c)
{
	uint32_t crc = c->crc;
	for (uint64_t n = c->len; n; n >>= 8) /* the length, low byte first */
		crc = step(crc, (uint8_t)n);
	return ~crc;
}
