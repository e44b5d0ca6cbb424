/* URPC: single-producer/single-consumer channels of cache-line messages
 * between two cores that share memory (Barrelfish's cross-core transport).
 *
 * Wire format.  A channel region is a ring of N 64-byte lines (N a power of
 * two, 1..URPC_MAX_SLOTS) followed by one 64-byte ack line:
 *
 *   line i (0 <= i < N)     56 bytes payload | 8-byte header (last in the line)
 *   line N (ack line)       consumed seq | slots | first seq | magic | unused
 *
 * Header word (little-endian u64, one atomic store):
 *   bits  0..31  seq   sequence number of the message in this slot
 *   bits 32..47  type  message type (include/tessera/msg.h)
 *   bits 48..55  len   payload length, 0..56
 *   bits 56..63  zero
 *
 * Message `seq` lives in slot `seq & (N - 1)`.  The sender writes the payload,
 * then publishes the header with a release store; the receiver, expecting
 * `seq`, polls that slot's header with an acquire load and accepts the line
 * when the header's seq equals the expected one.  So the sender writes only
 * ring lines and the receiver writes only the ack line: no head/tail line
 * bounces between the cores per message, only the message line itself.
 *
 * Wrap-around.  Sequence numbers are 32-bit and wrap modulo 2^32.  Because N
 * divides 2^32, `seq & (N - 1)` stays consistent across the wrap.  Flow
 * control (below) keeps the sender at most N messages ahead, so the slot the
 * receiver polls holds either message `seq` or message `seq - N`; those
 * differ modulo 2^32 since N <= 2^16 < 2^32, and a stale line can never be
 * mistaken for a fresh one.  Initialisation writes every slot's header as
 * "message from the lap before the first", so even a first seq of 0 works.
 *
 * Flow control.  The receiver publishes the next seq it expects in the ack
 * line, but only every URPC_ACK_BATCH(N) = max(N/2, 1) messages (and on
 * urpc_rx_flush), never per message.  The sender keeps a private credit (slots
 * it knows are free) and reads the ack line only when credit runs out.  Per
 * message the cores then share exactly one line, the message; the ack line
 * moves once per N/2 messages.  Reading the ack per message would pull it
 * from the receiver's cache every time and double the coherence traffic.
 * No deadlock: when the sender is full, N messages are unacked and fewer than
 * N/2 of them consumed, so the receiver still has messages to read and will
 * ack on the way.
 *
 * The region is initialised once by whoever allocates it (urpc_region_init),
 * before either side attaches; urpc_tx and urpc_rx live in each core's own
 * private memory.  Everything here is non-blocking: waiting, sleeping and
 * IPIs belong to the caller.
 */
#ifndef TESSERA_URPC_H
#define TESSERA_URPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

#define URPC_LINE_SIZE   64u
#define URPC_PAYLOAD_MAX 56u
#define URPC_MAX_SLOTS   65536u
#define URPC_MAGIC       0x43505255u /* "URPC" */

#define URPC_HDR_SEQ_SHIFT  0
#define URPC_HDR_TYPE_SHIFT 32
#define URPC_HDR_LEN_SHIFT  48
#define URPC_HDR_LEN_MASK   0xffull

/* Messages consumed between two ack publications for a ring of n slots. */
#define URPC_ACK_BATCH(n) ((n) >= 2u ? (n) / 2u : 1u)

/* One ring slot: payload first, header last, one cache line. */
struct urpc_line {
	uint8_t payload[URPC_PAYLOAD_MAX];
	uint64_t header;
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct urpc_line) == URPC_LINE_SIZE, "urpc line is one cache line");
_Static_assert(offsetof(struct urpc_line, header) == 56, "urpc header is last in the line");

/* The receiver-written line.  Only `consumed` changes after init. */
struct urpc_ack {
	uint32_t consumed;  /* next seq the receiver expects; all before it are free */
	uint32_t slots;     /* ring size, written once by urpc_region_init */
	uint32_t first_seq; /* seq of the first message, written once */
	uint32_t magic;     /* URPC_MAGIC once initialised */
	uint8_t unused[48];
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct urpc_ack) == URPC_LINE_SIZE, "urpc ack is one cache line");
_Static_assert(offsetof(struct urpc_ack, consumed) == 0, "urpc ack layout");
_Static_assert(offsetof(struct urpc_ack, slots) == 4, "urpc ack layout");
_Static_assert(offsetof(struct urpc_ack, first_seq) == 8, "urpc ack layout");
_Static_assert(offsetof(struct urpc_ack, magic) == 12, "urpc ack layout");

/* Sender-private state (lives in the sending core's memory). */
struct urpc_tx {
	struct urpc_line *ring;
	const struct urpc_ack *ack;
	uint32_t mask;   /* slots - 1 */
	uint32_t seq;    /* seq of the next message to send */
	uint32_t credit; /* slots known free without reading the ack line */
};

/* Receiver-private state (lives in the receiving core's memory). */
struct urpc_rx {
	const struct urpc_line *ring;
	struct urpc_ack *ack;
	uint32_t mask;    /* slots - 1 */
	uint32_t seq;     /* seq of the next message expected */
	uint32_t unacked; /* consumed since the last ack publication */
	uint32_t batch;   /* URPC_ACK_BATCH(slots) */
};

/* A received message, copied out of the ring into the receiver's memory so
 * the slot is free again and the sender cannot change it under the reader.
 * Bytes of payload past len are unspecified. */
struct urpc_msg {
	uint16_t type;
	uint8_t len;
	uint8_t payload[URPC_PAYLOAD_MAX] __attribute__((aligned(8)));
};

/* One core's end of a bidirectional channel: two regions in one block. */
struct urpc_pair {
	struct urpc_tx tx;
	struct urpc_rx rx;
};

/* Header word accessors. */
static inline uint64_t urpc_hdr_make(uint32_t seq, uint16_t type, uint8_t len)
{
	return (uint64_t)seq << URPC_HDR_SEQ_SHIFT | (uint64_t)type << URPC_HDR_TYPE_SHIFT |
	       (uint64_t)len << URPC_HDR_LEN_SHIFT;
}

static inline uint32_t urpc_hdr_seq(uint64_t h)
{
	return (uint32_t)(h >> URPC_HDR_SEQ_SHIFT);
}

static inline uint16_t urpc_hdr_type(uint64_t h)
{
	return (uint16_t)(h >> URPC_HDR_TYPE_SHIFT);
}

static inline uint8_t urpc_hdr_len(uint64_t h)
{
	return (uint8_t)((h >> URPC_HDR_LEN_SHIFT) & URPC_HDR_LEN_MASK);
}

/* Bytes of one channel region for `slots` (power of two, 1..URPC_MAX_SLOTS);
 * 0 when slots is invalid.  The region must be 64-byte aligned. */
size_t urpc_region_size(uint32_t slots);

/* Initialises a region of urpc_region_size(slots) bytes at mem so the first
 * message carries seq 0.  Call once, before either endpoint attaches.
 * ERR_INVAL for a bad slot count, ERR_ALIGN for a misaligned mem. */
enum err urpc_region_init(void *mem, uint32_t slots);

/* As urpc_region_init, with the first message carrying first_seq (tests start
 * near 2^32 to exercise wrap-around). */
enum err urpc_region_init_seq(void *mem, uint32_t slots, uint32_t first_seq);

/* Attaches the sending end to an initialised region of `slots` slots.
 * ERR_INVAL when the region is not initialised or has fewer slots (the ack
 * line is found from `slots`, so the caller must not claim more). */
enum err urpc_tx_init(struct urpc_tx *tx, void *mem, uint32_t slots);

/* Attaches the receiving end; same contract as urpc_tx_init. */
enum err urpc_rx_init(struct urpc_rx *rx, void *mem, uint32_t slots);

/* Whether a send would find a free slot now (refilling the credit). */
bool urpc_room(struct urpc_tx *tx);

/* Sends one message without blocking: ERR_RANGE when len > 56, ERR_FULL when
 * every slot is still unconsumed (or not yet acked), ERR_CORRUPT when the ack
 * line is impossible.  payload may be NULL when len is 0. */
enum err urpc_send(struct urpc_tx *tx, uint16_t type, const void *payload, size_t len);

/* Receives the next message in order without blocking: ERR_EMPTY when none
 * is waiting.  ERR_CORRUPT (message consumed, out undefined) when the header
 * claims a length over 56. */
enum err urpc_recv(struct urpc_rx *rx, struct urpc_msg *out);

/* Copies the next message into out as urpc_recv does, but leaves it in the
 * ring, so a receiver can look before it decides to take it (urpc_skip
 * takes it).  ERR_EMPTY when none is waiting; ERR_CORRUPT when the header
 * claims a length over 56 (out undefined; urpc_skip still takes it). */
enum err urpc_peek(const struct urpc_rx *rx, struct urpc_msg *out);

/* Takes the next message (the one urpc_peek showed) without copying it,
 * publishing progress as urpc_recv does.  ERR_EMPTY when none is waiting. */
enum err urpc_skip(struct urpc_rx *rx);

/* True when urpc_recv would return a message (the idle loop's check). */
bool urpc_pending(const struct urpc_rx *rx);

/* How many messages wait in the ring, in order, from the next one on. */
unsigned urpc_backlog(const struct urpc_rx *rx);

/* Publishes the receiver's progress now (before sleeping, or when the sender
 * is waiting for a reply that depends on slots this side holds unacked). */
void urpc_rx_flush(struct urpc_rx *rx);

/* Bytes of a bidirectional channel block: two regions of `slots` each. */
size_t urpc_pair_size(uint32_t slots);

/* Initialises both regions of a channel block; call once, as urpc_region_init. */
enum err urpc_pair_region_init(void *mem, uint32_t slots);

/* Attaches one side of a channel block.  Side 0 sends on the first region and
 * receives on the second; side 1 the reverse (e.g. side = this core's index >
 * the peer's). */
enum err urpc_pair_init(struct urpc_pair *p, void *mem, uint32_t slots, unsigned side);

#endif
