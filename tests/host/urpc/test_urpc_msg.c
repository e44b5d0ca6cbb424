/* Typed messages (include/tessera/msg.h): round trips through a channel,
 * decoders rejecting the wrong type or length, the TEST_SEQ checksum. */
#include <string.h>
#include <tessera/msg.h>
#include <urpc/test_seq.h>

#include "../htest.h"
#include "urpc_test.h"

HTEST(msg_table)
{
#define CHECK_ROW(NAME, name, ptype)                               \
	HT_EXPECT_EQ(msg_payload_size(MSG_##NAME), sizeof(ptype)); \
	HT_EXPECT_STREQ(msg_type_name(MSG_##NAME), #NAME);
	MSG_TABLE(CHECK_ROW)
#undef CHECK_ROW
	HT_EXPECT_EQ(MSG_BOOT_REPORT, 1); /* wire numbers never move */
	HT_EXPECT_EQ(MSG_CAP_TRANSFER, 9);
	HT_EXPECT_EQ(MSG_CAP_TRANSFER_ACK, 14); /* appended after VM_SPACE */
	HT_EXPECT_EQ(MSG_CORE_RUN, 15);
	HT_EXPECT_EQ(msg_payload_size(MSG_NONE), 0);
	HT_EXPECT_EQ(msg_payload_size(MSG_TYPE_COUNT), 0);
	HT_EXPECT_STREQ(msg_type_name(MSG_NONE), "UNKNOWN");
	HT_EXPECT_STREQ(msg_type_name(0xffff), "UNKNOWN");
}

HTEST(typed_round_trip)
{
	struct urpc_test_chan c;
	HT_ASSERT(urpc_test_chan_open(&c, 8, 0) == ERR_OK);
	struct msg_boot_report br = {
	        .free_bytes = 1ull << 33, .core = 3, .apic_id = 6, .status = ERR_OK};
	struct msg_ping ping = {.seq = 42, .tsc = 123456789};
	struct msg_tlb_shootdown sd = {
	        .asid = 7, .start = 0x400000, .length = 0x3000, .request = 11, .initiator = 0};
	HT_EXPECT_EQ(msg_send_boot_report(&c.tx, &br), ERR_OK);
	HT_EXPECT_EQ(msg_send_pong(&c.tx, &ping), ERR_OK);
	HT_EXPECT_EQ(msg_send_tlb_shootdown(&c.tx, &sd), ERR_OK);

	struct urpc_msg m;
	struct msg_boot_report br2;
	HT_ASSERT(urpc_recv(&c.rx, &m) == ERR_OK);
	HT_EXPECT_EQ(msg_check(&m), ERR_OK);
	HT_EXPECT_EQ(msg_decode_boot_report(&m, &br2), ERR_OK);
	HT_EXPECT(memcmp(&br, &br2, sizeof br) == 0);

	struct msg_ping p2;
	HT_ASSERT(urpc_recv(&c.rx, &m) == ERR_OK);
	HT_EXPECT_EQ(msg_decode_ping(&m, &p2), ERR_TYPE); /* a PONG is not a PING */
	HT_EXPECT_EQ(msg_decode_pong(&m, &p2), ERR_OK);
	HT_EXPECT_EQ(p2.seq, 42);
	HT_EXPECT_EQ(p2.tsc, 123456789);

	struct msg_tlb_shootdown sd2;
	HT_ASSERT(urpc_recv(&c.rx, &m) == ERR_OK);
	HT_EXPECT_EQ(msg_decode_tlb_shootdown(&m, &sd2), ERR_OK);
	HT_EXPECT(memcmp(&sd, &sd2, sizeof sd) == 0);
	urpc_test_chan_close(&c);
}

/* A cap crosses by value and its ack echoes what it names. */
HTEST(cap_transfer_round_trip)
{
	struct urpc_test_chan c;
	HT_ASSERT(urpc_test_chan_open(&c, 8, 0) == ERR_OK);
	struct msg_cap_transfer t = {
	        .base = 0x40000000, .rights = 0x18, .id = 77, .type = 1, .size_bits = 30};
	struct msg_cap_transfer_ack a = {.base = t.base,
	                                 .id = t.id,
	                                 .status = ERR_OK,
	                                 .core = 3,
	                                 .type = 1,
	                                 .size_bits = 30};
	HT_EXPECT_EQ(msg_send_cap_transfer(&c.tx, &t), ERR_OK);
	HT_EXPECT_EQ(msg_send_cap_transfer_ack(&c.tx, &a), ERR_OK);

	struct urpc_msg m;
	struct msg_cap_transfer t2;
	struct msg_cap_transfer_ack a2;
	HT_ASSERT(urpc_recv(&c.rx, &m) == ERR_OK);
	HT_EXPECT_EQ(msg_decode_cap_transfer_ack(&m, &a2), ERR_TYPE);
	HT_EXPECT_EQ(msg_decode_cap_transfer(&m, &t2), ERR_OK);
	HT_EXPECT(memcmp(&t, &t2, sizeof t) == 0);
	HT_ASSERT(urpc_recv(&c.rx, &m) == ERR_OK);
	HT_EXPECT_EQ(msg_check(&m), ERR_OK);
	HT_EXPECT_EQ(msg_decode_cap_transfer_ack(&m, &a2), ERR_OK);
	HT_EXPECT(memcmp(&a, &a2, sizeof a) == 0);
	urpc_test_chan_close(&c);
}

HTEST(decode_rejects)
{
	struct urpc_test_chan c;
	HT_ASSERT(urpc_test_chan_open(&c, 8, 0) == ERR_OK);
	uint8_t raw[URPC_PAYLOAD_MAX];
	memset(raw, 0x5c, sizeof raw);
	/* MEM_DONATE type with a MEM_REQUEST-sized payload. */
	HT_ASSERT(urpc_send(&c.tx, MSG_MEM_DONATE, raw, sizeof(struct msg_mem_request)) == ERR_OK);
	HT_ASSERT(urpc_send(&c.tx, MSG_TYPE_COUNT, raw, 8) == ERR_OK);
	HT_ASSERT(urpc_send(&c.tx, MSG_SHOOTDOWN_ACK, raw, URPC_PAYLOAD_MAX) == ERR_OK);

	struct urpc_msg m;
	struct msg_mem_donate d;
	struct msg_mem_request r;
	struct msg_shootdown_ack a;
	memset(&d, 0, sizeof d);
	HT_ASSERT(urpc_recv(&c.rx, &m) == ERR_OK);
	HT_EXPECT_EQ(msg_check(&m), ERR_CORRUPT);
	HT_EXPECT_EQ(msg_decode_mem_donate(&m, &d), ERR_CORRUPT);
	HT_EXPECT_EQ(msg_decode_mem_request(&m, &r), ERR_TYPE);
	HT_EXPECT_EQ(d.base, 0); /* nothing copied on failure */

	HT_ASSERT(urpc_recv(&c.rx, &m) == ERR_OK);
	HT_EXPECT_EQ(msg_check(&m), ERR_TYPE);

	HT_ASSERT(urpc_recv(&c.rx, &m) == ERR_OK);
	HT_EXPECT_EQ(msg_check(&m), ERR_CORRUPT); /* too long is wrong too */
	HT_EXPECT_EQ(msg_decode_shootdown_ack(&m, &a), ERR_CORRUPT);
	urpc_test_chan_close(&c);
}

HTEST(test_seq_checksum)
{
	struct msg_test_seq m, n;
	urpc_test_seq_fill(&m, 2, 1000);
	HT_EXPECT(urpc_test_seq_check(&m, 2, 1000));
	HT_EXPECT(!urpc_test_seq_check(&m, 2, 1001)); /* wrong position */
	HT_EXPECT(!urpc_test_seq_check(&m, 3, 1000)); /* wrong sender */
	urpc_test_seq_fill(&n, 2, 1001);
	HT_EXPECT(memcmp(m.filler, n.filler, sizeof m.filler) != 0);
	for (unsigned bit = 0; bit < 8 * sizeof m; bit++) {
		n = m;
		((uint8_t *)&n)[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (urpc_test_seq_check(&n, 2, 1000)) {
			HT_EXPECT_EQ(bit, -1); /* every single-bit flip is caught */
			break;
		}
	}
}

HTEST(test_seq_through_channel)
{
	struct urpc_test_chan c;
	HT_ASSERT(urpc_test_chan_open(&c, 2, UINT32_MAX - 40) == ERR_OK);
	for (uint64_t i = 0; i < 100; i++) {
		struct msg_test_seq out, in;
		struct urpc_msg m;
		urpc_test_seq_fill(&out, 1, i);
		HT_ASSERT(msg_send_test_seq(&c.tx, &out) == ERR_OK);
		HT_ASSERT(urpc_recv(&c.rx, &m) == ERR_OK);
		HT_ASSERT(msg_decode_test_seq(&m, &in) == ERR_OK);
		HT_EXPECT(urpc_test_seq_check(&in, 1, i));
	}
	urpc_test_chan_close(&c);
}
