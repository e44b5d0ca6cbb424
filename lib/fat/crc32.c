/* CRC-32 with the reflected IEEE 802.3 polynomial 0xEDB88320, initial value
 * and final XOR 0xFFFFFFFF, as GPT (UEFI 5.3.2) uses it.  Four bits per
 * table step: a 64-byte table is small enough for every loader. */
#include "gpt.h"

/* nibble_table[i]: the register after shifting the 4-bit value i out. */
static const uint32_t nibble_table[16] = {
        0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
        0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
        0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t gpt_crc32_update(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;
	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ nibble_table[crc & 15];
		crc = (crc >> 4) ^ nibble_table[crc & 15];
	}
	return ~crc;
}

uint32_t gpt_crc32(const void *data, size_t len)
{
	return gpt_crc32_update(0, data, len);
}
