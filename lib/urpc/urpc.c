/* URPC channels: see include/tessera/urpc.h for the wire format and the
 * reasoning behind sequence numbers and batched acks.
 *
 * Memory ordering, in C11 terms:
 *  - sender: payload stores, then header store-release;
 *    receiver: header load-acquire, then payload loads.  The receiver never
 *    sees a header before the payload it describes.
 *  - receiver: payload loads (the copy-out), then ack store-release;
 *    sender: ack load-acquire, then payload stores into the freed slots.  The
 *    sender never overwrites a line the receiver is still reading.
 */
#include <string/mem.h>
#include <tessera/urpc.h>

/* The ring of a region. */
static struct urpc_line *region_ring(void *mem)
{
	return (struct urpc_line *)mem;
}

/* The ack line of a region of `slots` slots (after the ring). */
static struct urpc_ack *region_ack(void *mem, uint32_t slots)
{
	return (struct urpc_ack *)((struct urpc_line *)mem + slots);
}

/* True for a power of two in 1..URPC_MAX_SLOTS. */
static bool slots_valid(uint32_t slots)
{
	return slots != 0 && slots <= URPC_MAX_SLOTS && (slots & (slots - 1)) == 0;
}

size_t urpc_region_size(uint32_t slots)
{
	if (!slots_valid(slots))
		return 0;
	return ((size_t)slots + 1) * URPC_LINE_SIZE;
}

enum err urpc_region_init(void *mem, uint32_t slots)
{
	return urpc_region_init_seq(mem, slots, 0);
}

/* Every slot starts with the header of the message one lap before the first
 * that will land there, so no slot matches the receiver's first expectation. */
enum err urpc_region_init_seq(void *mem, uint32_t slots, uint32_t first_seq)
{
	if (!slots_valid(slots))
		return ERR_INVAL;
	if ((uintptr_t)mem % URPC_LINE_SIZE)
		return ERR_ALIGN;
	memset(mem, 0, urpc_region_size(slots));
	struct urpc_line *ring = region_ring(mem);
	for (uint32_t i = 0; i < slots; i++) {
		uint32_t seq = first_seq + i;
		ring[seq & (slots - 1)].header = urpc_hdr_make(seq - slots, 0, 0);
	}
	struct urpc_ack *ack = region_ack(mem, slots);
	ack->consumed = first_seq;
	ack->slots = slots;
	ack->first_seq = first_seq;
	ack->magic = URPC_MAGIC;
	return ERR_OK;
}

/* Checks that mem holds an initialised region of `slots` slots.  The caller
 * learnt of the region through something that orders it after the init (a
 * boot handoff, a channel message, thread creation), so plain loads do. */
static enum err region_check(void *mem, uint32_t slots)
{
	if (!slots_valid(slots))
		return ERR_INVAL;
	if (!mem || (uintptr_t)mem % URPC_LINE_SIZE)
		return ERR_ALIGN;
	const struct urpc_ack *ack = region_ack(mem, slots);
	if (ack->magic != URPC_MAGIC || ack->slots != slots)
		return ERR_INVAL;
	return ERR_OK;
}

enum err urpc_tx_init(struct urpc_tx *tx, void *mem, uint32_t slots)
{
	enum err e = region_check(mem, slots);
	if (e != ERR_OK)
		return e;
	tx->ring = region_ring(mem);
	tx->ack = region_ack(mem, slots);
	tx->mask = slots - 1;
	tx->seq = tx->ack->first_seq;
	tx->credit = slots;
	return ERR_OK;
}

enum err urpc_rx_init(struct urpc_rx *rx, void *mem, uint32_t slots)
{
	enum err e = region_check(mem, slots);
	if (e != ERR_OK)
		return e;
	rx->ring = region_ring(mem);
	rx->ack = region_ack(mem, slots);
	rx->mask = slots - 1;
	rx->seq = rx->ack->first_seq;
	rx->unacked = 0;
	rx->batch = URPC_ACK_BATCH(slots);
	return ERR_OK;
}

/* Refills the sender's credit from the ack line; ERR_FULL when nothing was
 * freed, ERR_CORRUPT when the receiver claims more than was sent. */
static enum err tx_refill(struct urpc_tx *tx)
{
	uint32_t consumed = __atomic_load_n(&tx->ack->consumed, __ATOMIC_ACQUIRE);
	uint32_t in_flight = tx->seq - consumed; /* modulo 2^32 */
	uint32_t slots = tx->mask + 1;
	if (in_flight > slots)
		return ERR_CORRUPT;
	tx->credit = slots - in_flight;
	return tx->credit ? ERR_OK : ERR_FULL;
}

bool urpc_room(struct urpc_tx *tx)
{
	return tx->credit || tx_refill(tx) == ERR_OK;
}

enum err urpc_send(struct urpc_tx *tx, uint16_t type, const void *payload, size_t len)
{
	if (len > URPC_PAYLOAD_MAX)
		return ERR_RANGE;
	if (tx->credit == 0) {
		enum err e = tx_refill(tx);
		if (e != ERR_OK)
			return e;
	}
	struct urpc_line *line = &tx->ring[tx->seq & tx->mask];
	if (len)
		memcpy(line->payload, payload, len);
	__atomic_store_n(&line->header, urpc_hdr_make(tx->seq, type, (uint8_t)len),
	                 __ATOMIC_RELEASE);
	tx->seq++;
	tx->credit--;
	return ERR_OK;
}

/* The header of the slot the receiver expects next (acquire). */
static uint64_t rx_header(const struct urpc_rx *rx)
{
	return __atomic_load_n(&rx->ring[rx->seq & rx->mask].header, __ATOMIC_ACQUIRE);
}

bool urpc_pending(const struct urpc_rx *rx)
{
	return urpc_hdr_seq(rx_header(rx)) == rx->seq;
}

unsigned urpc_backlog(const struct urpc_rx *rx)
{
	unsigned n = 0;

	while (n <= rx->mask) {
		uint64_t h = __atomic_load_n(&rx->ring[(rx->seq + n) & rx->mask].header,
		                             __ATOMIC_ACQUIRE);
		if (urpc_hdr_seq(h) != rx->seq + n)
			break;
		n++;
	}
	return n;
}

void urpc_rx_flush(struct urpc_rx *rx)
{
	__atomic_store_n(&rx->ack->consumed, rx->seq, __ATOMIC_RELEASE);
	rx->unacked = 0;
}

enum err urpc_peek(const struct urpc_rx *rx, struct urpc_msg *out)
{
	uint64_t h = rx_header(rx);
	if (urpc_hdr_seq(h) != rx->seq)
		return ERR_EMPTY;
	uint8_t len = urpc_hdr_len(h);
	if (len > URPC_PAYLOAD_MAX)
		return ERR_CORRUPT;
	out->type = urpc_hdr_type(h);
	out->len = len;
	memcpy(out->payload, rx->ring[rx->seq & rx->mask].payload, len);
	return ERR_OK;
}

enum err urpc_skip(struct urpc_rx *rx)
{
	if (!urpc_pending(rx))
		return ERR_EMPTY;
	rx->seq++;
	if (++rx->unacked >= rx->batch)
		urpc_rx_flush(rx);
	return ERR_OK;
}

enum err urpc_recv(struct urpc_rx *rx, struct urpc_msg *out)
{
	enum err e = urpc_peek(rx, out);
	if (e != ERR_EMPTY)
		urpc_skip(rx);
	return e;
}

size_t urpc_pair_size(uint32_t slots)
{
	return 2 * urpc_region_size(slots);
}

enum err urpc_pair_region_init(void *mem, uint32_t slots)
{
	enum err e = urpc_region_init(mem, slots);
	if (e != ERR_OK)
		return e;
	return urpc_region_init((char *)mem + urpc_region_size(slots), slots);
}

enum err urpc_pair_init(struct urpc_pair *p, void *mem, uint32_t slots, unsigned side)
{
	if (side > 1 || !slots_valid(slots))
		return ERR_INVAL;
	char *first = mem, *second = first + urpc_region_size(slots);
	enum err e = urpc_tx_init(&p->tx, side ? second : first, slots);
	if (e != ERR_OK)
		return e;
	return urpc_rx_init(&p->rx, side ? first : second, slots);
}
