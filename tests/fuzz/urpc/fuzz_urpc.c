/* Fuzz target: lib/urpc's reading of a ring another core wrote, and
 * sending over an ack line it wrote.  The input is (little-endian):
 *
 *   u8 log2 of the slot count (taken mod 17), u8 flags, u8 op count, u8 0,
 *   then one op byte per step, then the region image (ring lines, then the
 *   ack line; the rest of the region is zero)
 *
 * flags bit 0: write a valid magic and slot count into the ack line, so
 * the steps get past urpc_rx_init.  Ops (mod 5): urpc_recv, urpc_peek,
 * urpc_skip, urpc_pending, urpc_rx_flush.  Every message taken is checked
 * with msg_check.  Then the sending end attaches and sends until the ring
 * is full (or the ack line is found impossible).  The region is exactly urpc_region_size bytes, so
 * ASan sees any access past it.  Checks what urpc.h promises about each result.
 */
#include <stdlib.h>
#include <string.h>
#include <tessera/msg.h>
#include <tessera/urpc.h>

static void receive(struct urpc_rx *rx, const uint8_t *ops, unsigned nops)
{
	struct urpc_msg m;
	for (unsigned i = 0; i < nops; i++) {
		uint32_t seq = rx->seq;
		int pending = urpc_pending(rx);
		enum err e = ERR_OK;
		switch (ops[i] % 5) {
		case 0: e = urpc_recv(rx, &m); break;
		case 1: e = urpc_peek(rx, &m); break;
		case 2: e = urpc_skip(rx); break;
		case 3: continue;
		case 4: urpc_rx_flush(rx); continue;
		}
		if (pending != (e != ERR_EMPTY))
			abort(); /* urpc_pending says what the next call finds */
		if (e == ERR_OK && ops[i] % 5 != 2 && m.len > URPC_PAYLOAD_MAX)
			abort();
		if (e == ERR_OK && ops[i] % 5 != 2)
			msg_check(&m);
		uint32_t moved = ops[i] % 5 == 1 || e == ERR_EMPTY ? 0 : 1;
		if (rx->seq != seq + moved)
			abort();
	}
}

static void send(struct urpc_tx *tx, uint32_t slots)
{
	static const uint8_t payload[URPC_PAYLOAD_MAX];
	for (uint32_t i = 0; i <= 2 * slots; i++) {
		uint32_t seq = tx->seq;
		enum err e = urpc_send(tx, MSG_PING, payload, i % (URPC_PAYLOAD_MAX + 1));
		if (e == ERR_FULL || e == ERR_CORRUPT)
			return;
		if (e != ERR_OK || tx->seq != seq + 1 ||
		    urpc_hdr_seq(tx->ring[seq & tx->mask].header) != seq)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4 || size - 4 < data[2])
		return 0;
	uint32_t slots = 1u << (data[0] % 17);
	size_t bytes = urpc_region_size(slots);
	uint8_t *region = aligned_alloc(URPC_LINE_SIZE, bytes);
	if (!region)
		abort();
	const uint8_t *ops = data + 4, *image = ops + data[2];
	size_t have = (size_t)(data + size - image);
	memset(region, 0, bytes);
	memcpy(region, image, have < bytes ? have : bytes);
	struct urpc_ack *ack = (struct urpc_ack *)(region + bytes - URPC_LINE_SIZE);
	if (data[1] & 1) {
		ack->magic = URPC_MAGIC;
		ack->slots = slots;
	}
	struct urpc_rx rx;
	struct urpc_tx tx;
	if (urpc_rx_init(&rx, region, slots) == ERR_OK)
		receive(&rx, ops, data[2]);
	if (urpc_tx_init(&tx, region, slots) == ERR_OK)
		send(&tx, slots);
	free(region);
	return 0;
}
