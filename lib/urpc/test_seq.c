/* TEST_SEQ payload generation and checking; see test_seq.h. */
#include "test_seq.h"

#include <string/mem.h>

/* One step of a 64-bit xorshift generator (never maps nonzero to zero). */
static uint64_t xorshift64(uint64_t x)
{
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/* FNV-1a, 32-bit, folded over n bytes starting from h. */
static uint32_t fnv1a(uint32_t h, const void *p, unsigned n)
{
	const uint8_t *b = p;
	for (unsigned i = 0; i < n; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
}

uint32_t urpc_test_seq_sum(const struct msg_test_seq *m)
{
	uint32_t h = 2166136261u;
	h = fnv1a(h, &m->seq, sizeof m->seq);
	h = fnv1a(h, &m->sender, sizeof m->sender);
	return fnv1a(h, m->filler, sizeof m->filler);
}

void urpc_test_seq_fill(struct msg_test_seq *m, uint32_t sender, uint64_t seq)
{
	m->seq = seq;
	m->sender = sender;
	uint64_t x = (seq + 1) * 0x9e3779b97f4a7c15ull ^ ((uint64_t)sender << 32 | 1);
	for (unsigned i = 0; i < sizeof m->filler; i++) {
		x = xorshift64(x);
		m->filler[i] = (uint8_t)(x >> 24);
	}
	m->checksum = urpc_test_seq_sum(m);
}

bool urpc_test_seq_check(const struct msg_test_seq *m, uint32_t sender, uint64_t seq)
{
	struct msg_test_seq want;
	urpc_test_seq_fill(&want, sender, seq);
	if (m->checksum != urpc_test_seq_sum(m))
		return false;
	return m->seq == want.seq && m->sender == want.sender && m->checksum == want.checksum &&
	       memcmp(m->filler, want.filler, sizeof want.filler) == 0;
}
