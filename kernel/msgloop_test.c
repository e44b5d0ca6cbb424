/* The one message loop under every wait (msgloop.h), between real cores:
 * two cores flood each other both ways while each waits for memory from
 * the other; every message type arriving during every kind of wait is
 * handled, deferred to the top level or refused, never lost; and every
 * message a core sent is taken by its receiver. */
#include "msgloop.h"

#include <tessera/caps.h>
#include <tessera/msg.h>
#include <urpc/test_seq.h>

#include "chan.h"
#include "ktest.h"
#include "ktime.h"
#include "mm/mm.h"
#include "smp.h"

#define FLOOD     20000
#define FLOOD_ASK (2ull << 20)
#define WAIT_MS   60000
#define BIT(c)    (1ull << (c))

/* The last two online cores: a waits, b sends (a is never core 0). */
static bool pair(unsigned *a, unsigned *b)
{
	int last = -1, before = -1;

	for (unsigned c = 0; c < SMP_MAX_CORES; c++)
		if (core_online() & BIT(c)) {
			before = last;
			last = (int)c;
		}
	if (before < 0)
		return false;
	*a = (unsigned)last;
	*b = (unsigned)before;
	return true;
}

static bool seq_from_at_least(void *arg)
{
	const uint64_t *want = arg; /* {core, count} */
	return ktest_seq_got((unsigned)want[0]) >= want[1];
}

/* Waits until `count` TEST_SEQ messages from core `from` have arrived. */
static bool wait_seq(unsigned from, uint64_t count)
{
	uint64_t want[2] = {from, count};
	return msgloop_wait(seq_from_at_least, want, ktime_deadline(WAIT_MS)) == ERR_OK;
}

/* Sends this core's next TEST_SEQ to peer (the loop serves meanwhile). */
static enum err send_seq(unsigned peer, uint64_t *seq)
{
	struct msg_test_seq m;

	urpc_test_seq_fill(&m, core_self(), (*seq)++);
	return msgloop_send(peer, MSG_TEST_SEQ, &m, sizeof m, ktime_deadline(WAIT_MS));
}

/* ---- flooding both ways ---- */

/* Sends FLOOD messages to peer, asking it for memory half-way, and waits
 * for peer's FLOOD; then gives the memory back. */
static void flood(struct ktest *kt, unsigned peer)
{
	uint64_t seq = 0, got = 0, given = 0;

	for (unsigned i = 0; i < FLOOD; i++) {
		if (i == FLOOD / 2) {
			KT_EXPECT_EQ(mm_request_memory(peer, FLOOD_ASK, &got), ERR_OK);
			KT_EXPECT_EQ(got, FLOOD_ASK);
		}
		if (send_seq(peer, &seq) != ERR_OK) {
			ktest_fail(kt, __FILE__, __LINE__, "message %u of the flood sent", i);
			break;
		}
	}
	KT_EXPECT(wait_seq(peer, FLOOD));
	KT_EXPECT_EQ(ktest_seq_got(peer), FLOOD);
	KT_EXPECT_EQ(mm_give_back(peer, &given), ERR_OK);
	KT_EXPECT_EQ(given, got);
}

/* Two cores each send the other FLOOD checksummed messages through their
 * message loops, so each keeps finding the other's ring full and must
 * serve its own while it waits; each also asks the other for memory in
 * the middle and waits for the answer under the flood.  Every message
 * arrives once, in order, intact; neither core stalls. */
KTEST_SMP(msgloop, flood_both_ways_while_waiting_for_memory)
{
	unsigned a, b, me = core_self();

	if (!pair(&a, &b))
		KT_SKIP("needs two online cores");
	KT_ASSERT(mm_ready());
	ktest_seq_reset();
	ktest_barrier(kt);
	if (me == a || me == b)
		flood(kt, me == a ? b : a);
	ktest_barrier(kt);
	KT_EXPECT_EQ(ktest_seq_bad(), 0);
	ktest_barrier(kt);
}

/* ---- every type during every wait ---- */

enum wait_kind { WAIT_PLAIN, WAIT_MEMORY, WAIT_SEND_FULL, WAIT_KINDS };
static const char *const kind_names[] = {"a plain wait", "a memory request",
                                         "a send to a full ring"};

union sample_buf {
	uint8_t raw[URPC_PAYLOAD_MAX];
	struct msg_boot_report boot;
	struct msg_ping ping;
	struct msg_mem_request req;
	struct msg_mem_donate don;
	struct msg_tlb_shootdown sd;
	struct msg_shootdown_ack ack;
	struct msg_cap_transfer ct;
	struct msg_log_line log;
	struct msg_test_result res;
	struct msg_core_ctrl ctl;
	struct msg_vm_space vm;
	struct msg_cap_transfer_ack cta;
	struct msg_core_run run;
	struct msg_core_retire ret;
	struct msg_notify note;
	struct msg_test_value val;
	struct msg_mon_hello hello;
	struct msg_mon_cap moncap;
	struct msg_mon_release monrel;
};

/* A sample of message type `type` from this core that is harmless on an
 * AP: it is handled (answered where its protocol answers), refused by its
 * handler's checks, deferred to the top level, or has no handler there
 * (refused by the dispatcher), and changes nothing.  *answered: its
 * protocol answers it.  false for a type without a sample (TEST_SEQ is
 * sent apart, as it is counted): a new message type needs one here. */
static bool sample(uint16_t type, union sample_buf *p, bool *answered)
{
	uint32_t me = core_self();

	__builtin_memset(p, 0, sizeof *p);
	*answered = type == MSG_PING || type == MSG_MEM_REQUEST || type == MSG_TLB_SHOOTDOWN;
	switch (type) {
	case MSG_BOOT_REPORT: p->boot.core = me; return true; /* no handler on an AP */
	case MSG_PING: p->ping.seq = 0x5eed; return true;
	case MSG_PONG: p->ping.seq = 0x5eed; return true;         /* counted */
	case MSG_MEM_REQUEST: p->req.requester = me; return true; /* for 0 bytes */
	case MSG_MEM_DONATE: /* not a power of two of frames: refused */
		p->don = (struct msg_mem_donate){.base = 0x1000, .frames = 3, .donor = me};
		return true;
	case MSG_TLB_SHOOTDOWN: /* a space that does not exist */
		p->sd = (struct msg_tlb_shootdown){
		        .asid = 0xdead0000, .length = 4096, .request = 0xffff, .initiator = me};
		return true;
	case MSG_SHOOTDOWN_ACK:
		p->ack = (struct msg_shootdown_ack){.request = 0xfffe, .core = me};
		return true;
	case MSG_CAP_TRANSFER: p->ct.type = CAP_NULL; return true; /* refused, at the top */
	case MSG_LOG_LINE: p->log.last = 1; return true;           /* no handler on an AP */
	case MSG_TEST_RESULT: p->res.index = 0xffffffff; return true;
	case MSG_CORE_CTRL: p->ctl.op = 0x7e57; return true;
	case MSG_VM_SPACE:
		p->vm = (struct msg_vm_space){.id = 0xdead0000, .op = 0x7e57, .core = me};
		return true;
	case MSG_CAP_TRANSFER_ACK:
		p->cta.id = 0xffffffff;
		p->cta.core = me;
		return true;
	case MSG_CORE_RUN: p->run.job = 0x7e57; return true;     /* at the top */
	case MSG_CORE_RETIRE: p->ret.core = 0x7e57; return true; /* at the top */
	case MSG_CORE_RETIRED: p->ret.core = me; return true;    /* no handler on an AP */
	case MSG_NOTIFY: /* no notification object there: refused, at the top */
		p->note = (struct msg_notify){.object = 0x1000, .bits = 1};
		return true;
	case MSG_TEST_VALUE: p->val.tag = KTEST_VALUE_SAMPLE; return true; /* ignored */
	case MSG_MON_HELLO:
		p->hello.frame_bits = 13;
		return true; /* malformed: refused, at the top */
	case MSG_MON_CAP: p->moncap.type = CAP_UNTYPED; return true; /* refused, at the top */
	case MSG_MON_RELEASE: p->monrel.base = 0x1000; return true;  /* nothing sent: ignored */
	}
	return false;
}

static bool drained(void *peer)
{
	return chan_drained(*(unsigned *)peer);
}

/* Core b: one sample of every type to a, the answered ones each after a
 * has taken everything before (so a can be stuck in a send and still take
 * them, one level deeper each), then TEST_SEQ number *seq. */
static void blast(struct ktest *kt, unsigned a, uint64_t *seq)
{
	union sample_buf buf;
	bool answered;

	for (int pass = 0; pass < 2; pass++)
		for (uint16_t t = 1; t < MSG_TYPE_COUNT; t++) {
			if (!sample(t, &buf, &answered)) {
				if (t != MSG_TEST_SEQ)
					ktest_fail(kt, __FILE__, __LINE__, "a sample of type %s",
					           msg_type_name(t));
				continue;
			}
			if (answered != (pass == 1))
				continue;
			KT_EXPECT_EQ(chan_send_direct(a, t, &buf, msg_payload_size(t)), ERR_OK);
			KT_EXPECT(msgloop_wait(drained, &a, ktime_deadline(WAIT_MS)) == ERR_OK);
		}
	KT_EXPECT_EQ(send_seq(a, seq), ERR_OK);
}

static bool head_is(void *arg)
{
	const unsigned *w = arg; /* {peer, type} */
	struct urpc_msg m;
	return chan_peek(w[0], &m) == ERR_OK && m.type == w[1];
}

static bool backlog_full(void *peer)
{
	return chan_backlog(*(unsigned *)peer) == CHAN_SLOTS;
}

/* Core b, for one kind of wait on a.  a's cue (a TEST_SEQ) says it is
 * about to wait: for a plain wait it enters the wait right after, without
 * a poll between, so what b sends now can only be taken inside it.  For
 * the others b first holds a's channel (so a's request or its filling of
 * the ring stays unread) and says ready; then it waits until a is inside
 * the wait (its request at the head of the ring, or its ring full), sends
 * the samples, lets go, and serves. */
static void sender(struct ktest *kt, unsigned a, enum wait_kind k, uint64_t *seq, uint64_t got)
{
	unsigned head[2] = {a, MSG_MEM_REQUEST};
	uint64_t before = 0;

	KT_EXPECT(wait_seq(a, got + 1));
	if (k != WAIT_PLAIN) {
		before = msgloop_hold(BIT(a));
		urpc_rx_flush(chan_rx(a));              /* a sees every slot it may fill */
		KT_EXPECT_EQ(send_seq(a, seq), ERR_OK); /* ready */
		if (k == WAIT_MEMORY)
			KT_EXPECT(msgloop_wait(head_is, head, ktime_deadline(WAIT_MS)) == ERR_OK);
		else
			KT_EXPECT(msgloop_wait(backlog_full, &a, ktime_deadline(WAIT_MS)) ==
			          ERR_OK);
	}
	blast(kt, a, seq);
	if (k != WAIT_PLAIN)
		msgloop_unhold(before);
}

/* The dispatcher's count of type t so far: run or refused. */
static uint64_t seen(uint16_t t)
{
	return msgloop_handled(t) + msgloop_rejected(t);
}

/* The types whose handlers run only at the top level (msgloop.h). */
static bool top_level(uint16_t t)
{
	return t == MSG_CORE_RUN || t == MSG_CAP_TRANSFER || t == MSG_CORE_RETIRE ||
	       t == MSG_NOTIFY || t == MSG_MON_HELLO || t == MSG_MON_CAP || t == MSG_MON_RELEASE;
}

/* Messages of type t that a wait of kind k brings besides the sample: a
 * memory request's answer (one 2 MiB block and the answer's end). */
static uint64_t extra(enum wait_kind k, uint16_t t)
{
	return k == WAIT_MEMORY && t == MSG_MEM_DONATE ? FLOOD_ASK / (2ull << 20) + 1 : 0;
}

/* The wait of kind k, its cue first. */
static void wait_kind(struct ktest *kt, unsigned b, enum wait_kind k, uint64_t *seq,
                      uint64_t from_b)
{
	uint64_t got = 0, marks[1] = {from_b};

	KT_EXPECT_EQ(send_seq(b, seq), ERR_OK); /* the cue */
	if (k == WAIT_PLAIN) {
		KT_EXPECT(wait_seq(b, ++*marks)); /* the samples, then the mark */
		return;
	}
	KT_EXPECT(wait_seq(b, ++*marks)); /* ready */
	if (k == WAIT_MEMORY) {
		KT_EXPECT_EQ(mm_request_memory(b, FLOOD_ASK, &got), ERR_OK);
		KT_EXPECT_EQ(got, FLOOD_ASK);
		KT_EXPECT(wait_seq(b, ++*marks));
		return;
	}
	/* fill the ring, then send once more, until the mark has come: b sends
	 * only once the ring is full, so all is taken in a send's wait */
	++*marks;
	while (ktest_seq_got(b) < *marks) {
		struct msg_test_seq m;
		urpc_test_seq_fill(&m, core_self(), *seq);
		while (chan_send(b, MSG_TEST_SEQ, &m, sizeof m) == ERR_OK)
			urpc_test_seq_fill(&m, core_self(), ++*seq);
		KT_EXPECT_EQ(send_seq(b, seq), ERR_OK);
	}
}

/* Core a: the wait of kind k, with b's samples arriving inside it. */
static void waiter(struct ktest *kt, unsigned b, enum wait_kind k, uint64_t *seq, uint64_t got)
{
	static uint64_t before[MSG_TYPE_COUNT];
	uint64_t given = 0;

	for (uint16_t t = 1; t < MSG_TYPE_COUNT; t++)
		before[t] = seen(t);
	wait_kind(kt, b, k, seq, got);
	/* out of the wait: the top-level samples are queued, all others ran */
	for (uint16_t t = 1; t < MSG_TYPE_COUNT; t++) {
		if (t == MSG_TEST_SEQ)
			continue;
		uint64_t want = (top_level(t) ? 0 : 1) + extra(k, t);
		if (seen(t) - before[t] != want || msgloop_deferred_of(t) != (top_level(t) ? 1 : 0))
			ktest_fail(kt, __FILE__, __LINE__, "%s during %s: %s", msg_type_name(t),
			           kind_names[k], top_level(t) ? "deferred" : "taken");
	}
	msgloop_settle();
	for (uint16_t t = 1; t < MSG_TYPE_COUNT; t++)
		if (t != MSG_TEST_SEQ && seen(t) - before[t] != 1 + extra(k, t))
			ktest_fail(kt, __FILE__, __LINE__, "%s during %s: taken once",
			           msg_type_name(t), kind_names[k]);
	KT_EXPECT_EQ(msgloop_deferred(), 0);
	if (k == WAIT_MEMORY)
		KT_EXPECT_EQ(mm_give_back(b, &given), ERR_OK);
}

/* For each kind of wait a core can be in, a sample of every message type
 * arrives while it waits: each is taken inside the wait (run there, or
 * queued for the top level and run when the core gets back there), once. */
KTEST_SMP(msgloop, every_type_during_every_wait)
{
	unsigned a, b, me = core_self();
	uint64_t seq = 0; /* TEST_SEQ sent */

	if (!pair(&a, &b))
		KT_SKIP("needs two online cores");
	KT_ASSERT(mm_ready());
	ktest_seq_reset();
	ktest_barrier(kt);
	for (unsigned k = 0; k < WAIT_KINDS; k++) {
		/* what the peer sent so far: exact, as everything sent was
		 * taken before the last barrier and nothing is sent before the
		 * next */
		uint64_t got = ktest_seq_got(me == a ? b : a);
		ktest_barrier(kt);
		if (me == a)
			waiter(kt, b, (enum wait_kind)k, &seq, got);
		else if (me == b)
			sender(kt, a, (enum wait_kind)k, &seq, got);
		if (me == a || me == b)
			KT_EXPECT(msgloop_wait(drained, me == a ? &b : &a,
			                       ktime_deadline(WAIT_MS)) == ERR_OK);
		ktest_barrier(kt);
	}
	KT_EXPECT_EQ(ktest_seq_bad(), 0);
}

/* ---- every message taken ---- */

static bool all_drained(void *unused)
{
	for (unsigned p = 0; p < SMP_MAX_CORES; p++)
		if ((core_online() & chan_peers() & BIT(p)) && !chan_drained(p))
			return false;
	return true;
}

static bool pongs_back(void *arg)
{
	const uint64_t *want = arg;

	for (unsigned p = 0; p < SMP_MAX_CORES; p++)
		if (want[p] && msgloop_pongs(p) < want[p])
			return false;
	return true;
}

/* Every online core pings every other 100 times and waits for the
 * answers; then every message each core ever sent on every channel has
 * been taken by its receiver (the receiver's published count equals the
 * sender's), and the dispatcher ran or refused or queued each it took. */
KTEST_SMP(msgloop, every_message_sent_is_taken)
{
	uint64_t want[SMP_MAX_CORES] = {0};
	unsigned me = core_self();

	ktest_barrier(kt);
	for (unsigned p = 0; p < SMP_MAX_CORES; p++) {
		if (p == me || !(core_online() & BIT(p)))
			continue;
		want[p] = msgloop_pongs(p) + 100;
		for (unsigned i = 0; i < 100; i++) {
			struct msg_ping ping = {.seq = i};
			KT_EXPECT_EQ(msgloop_send(p, MSG_PING, &ping, sizeof ping,
			                          ktime_deadline(WAIT_MS)),
			             ERR_OK);
		}
	}
	KT_EXPECT(msgloop_wait(pongs_back, want, ktime_deadline(WAIT_MS)) == ERR_OK);
	for (unsigned p = 0; p < SMP_MAX_CORES; p++)
		if (want[p])
			KT_EXPECT_EQ(msgloop_pongs(p), want[p]);
	ktest_barrier(kt);
	KT_EXPECT(msgloop_wait(all_drained, NULL, ktime_deadline(WAIT_MS)) == ERR_OK);
	ktest_barrier(kt);
}
