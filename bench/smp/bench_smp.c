/* In-guest URPC benchmark (the bench kernel only): between core 0 and core
 * 1, in cycles of the cycle counter (TSC),
 *   line     one cache line bounced between the two cores: each in turn
 *            waits for the other's value and writes the next -- the floor
 *            under any cross-core message;
 *   rtt      PING/PONG round trip over their URPC channel pair;
 *   stream   one-way throughput of full 56-byte messages, ended by a PONG
 *            (the best of a few trials);
 * and URPC against the line, measured in the same run.  Both cores poll,
 * never sleep, so no IPI is involved.  Under QEMU TCG the cycles are the
 * emulator's, not a processor's: compare ratios, not absolute numbers.
 */
#include <arch/arch.h>
#include <fmt/fmt.h>
#include <string/mem.h>
#include <tessera/msg.h>

#include "chan.h"
#include "frame.h"
#include "hhdm.h"
#include "ktime.h"
#include "log.h"
#include "smp.h"

#define WARMUP        1000
#define LINE_ROUNDS   20000
#define RTT_ROUNDS    20000
#define STREAM_COUNT  50000 /* per trial */
#define STREAM_TRIALS 5     /* the best trial counts: the host disturbs the others */
#define PEER          1
#define WAIT_MS       30000

void bench_run(void);

/* Round trips: mean, median and best, in cycles. */
struct trips {
	uint64_t mean, median, best;
};

struct figures {
	struct trips line, rtt;
	uint64_t stream; /* cycles per message */
};

/* Room for one sample per timed round (the larger of the two phases). */
#define SAMPLE_ORDER 6 /* 256 KiB */
_Static_assert((FRAME_SIZE << SAMPLE_ORDER) / 8 >= LINE_ROUNDS, "samples fit");
_Static_assert((FRAME_SIZE << SAMPLE_ORDER) / 8 >= RTT_ROUNDS, "samples fit");

/* The k-th smallest of v[0 .. n) (reorders v; Hoare's selection). */
static uint64_t select_kth(uint64_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		uint64_t pivot = v[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				uint64_t t = v[i];
				v[i++] = v[j];
				v[j] = t;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return v[k];
	}
	return v[k];
}

/* Mean, median and best of n samples taken over `total` cycles. */
static struct trips summarise(uint64_t *v, size_t n, uint64_t total)
{
	uint64_t best = UINT64_MAX;

	for (size_t i = 0; i < n; i++)
		best = v[i] < best ? v[i] : best;
	return (struct trips){total / n, select_kth(v, n, n / 2), best};
}

/* Waits until the bounce line holds v. */
static bool line_wait(volatile uint64_t *line, uint64_t v)
{
	uint64_t deadline = ktime_deadline(WAIT_MS);

	while (__atomic_load_n(line, __ATOMIC_ACQUIRE) != v)
		if (ktime_passed(deadline))
			return false;
	return true;
}

/* Receives the next message from peer, polling; false after WAIT_MS. */
static bool recv_spin(unsigned peer, struct urpc_msg *m)
{
	uint64_t deadline = ktime_deadline(WAIT_MS);

	while (chan_recv(peer, m) != ERR_OK)
		if (ktime_passed(deadline))
			return false;
	return true;
}

/* Sends, retrying a full ring. */
static bool send_spin(unsigned peer, uint16_t type, const void *p, size_t len)
{
	return chan_send_wait(peer, type, p, len, WAIT_MS) == ERR_OK;
}

/* Core 1's side of every phase, in the order core 0 runs them. */
void bench_ap(unsigned from)
{
	volatile uint64_t *line = chan_spare_line(from);
	struct urpc_msg m;

	for (uint64_t i = 0; i < WARMUP + LINE_ROUNDS; i++) {
		if (!line_wait(line, 2 * i + 1))
			return;
		__atomic_store_n(line, 2 * i + 2, __ATOMIC_RELEASE);
	}
	for (uint64_t i = 0; i < WARMUP + RTT_ROUNDS; i++)
		if (!recv_spin(from, &m) || !send_spin(from, MSG_PONG, m.payload, m.len))
			return;
	for (unsigned t = 0; t < STREAM_TRIALS; t++) {
		for (uint64_t i = 0; i < STREAM_COUNT; i++)
			if (!recv_spin(from, &m))
				return;
		struct msg_ping done = {.seq = t};
		if (!send_spin(from, MSG_PONG, &done, sizeof done))
			return;
	}
}

/* Core 0: the line's round trips. */
static bool measure_line(struct figures *f, uint64_t *samples)
{
	volatile uint64_t *line = chan_spare_line(PEER);
	uint64_t start = 0;

	for (uint64_t i = 0; i < WARMUP + LINE_ROUNDS; i++) {
		if (i == WARMUP)
			start = arch_cycles();
		uint64_t t = arch_cycles();
		__atomic_store_n(line, 2 * i + 1, __ATOMIC_RELEASE);
		if (!line_wait(line, 2 * i + 2))
			return false;
		if (i >= WARMUP)
			samples[i - WARMUP] = arch_cycles() - t;
	}
	f->line = summarise(samples, LINE_ROUNDS, arch_cycles() - start);
	return true;
}

/* Core 0: PING/PONG round trips. */
static bool measure_rtt(struct figures *f, uint64_t *samples)
{
	uint64_t start = 0;
	struct urpc_msg m;

	for (uint64_t i = 0; i < WARMUP + RTT_ROUNDS; i++) {
		if (i == WARMUP)
			start = arch_cycles();
		struct msg_ping p = {.seq = i, .tsc = arch_cycles()};
		if (!send_spin(PEER, MSG_PING, &p, sizeof p) || !recv_spin(PEER, &m))
			return false;
		if (i >= WARMUP)
			samples[i - WARMUP] = arch_cycles() - p.tsc;
	}
	f->rtt = summarise(samples, RTT_ROUNDS, arch_cycles() - start);
	return true;
}

/* Core 0: STREAM_COUNT full messages one way, until the PONG that says all
 * arrived; the best of STREAM_TRIALS. */
static bool measure_stream(struct figures *f)
{
	uint8_t payload[URPC_PAYLOAD_MAX];
	struct urpc_msg m;

	memset(payload, 0x5a, sizeof payload);
	f->stream = UINT64_MAX;
	for (unsigned t = 0; t < STREAM_TRIALS; t++) {
		uint64_t start = arch_cycles();
		for (uint64_t i = 0; i < STREAM_COUNT; i++) {
			memcpy(payload, &i, sizeof i);
			if (!send_spin(PEER, MSG_TEST_SEQ, payload, sizeof payload))
				return false;
		}
		if (!recv_spin(PEER, &m))
			return false;
		uint64_t per = (arch_cycles() - start) / STREAM_COUNT;
		f->stream = per < f->stream ? per : f->stream;
	}
	return true;
}

/* x / y with one decimal, as "12.3". */
static void ratio(char *buf, size_t size, uint64_t x, uint64_t y)
{
	uint64_t tenths = y ? (x * 10 + y / 2) / y : 0;
	fmt_snprintf(buf, size, "%llu.%llu", (unsigned long long)(tenths / 10),
	             (unsigned long long)(tenths % 10));
}

static void report(const struct figures *f)
{
	uint64_t hz = ktime_cycles_hz();
	char r1[16], r2[16];

	ratio(r1, sizeof r1, f->rtt.median, f->line.median);
	ratio(r2, sizeof r2, f->stream * 2, f->line.median);
	log_printf("bench-smp: cores 0 and 1, cycle counter at %llu MHz; round trips as "
	           "median (mean, best) cycles\n",
	           (unsigned long long)(hz / 1000000));
	log_printf("bench-smp: cache line round trip %7llu (%llu, %llu); one-way bounce %llu\n",
	           (unsigned long long)f->line.median, (unsigned long long)f->line.mean,
	           (unsigned long long)f->line.best, (unsigned long long)(f->line.median / 2));
	log_printf("bench-smp: URPC round trip       %7llu (%llu, %llu) = %s x line round trip\n",
	           (unsigned long long)f->rtt.median, (unsigned long long)f->rtt.mean,
	           (unsigned long long)f->rtt.best, r1);
	log_printf("bench-smp: URPC one-way, 56 B    %7llu cycles/message, best of %u (%llu k "
	           "msg/s) = "
	           "%s x "
	           "one-way bounce\n",
	           (unsigned long long)f->stream, STREAM_TRIALS,
	           (unsigned long long)(f->stream ? hz / f->stream / 1000 : 0), r2);
}

void bench_run(void)
{
	struct figures f;
	struct msg_core_run go = {.job = MSG_RUN_BENCH};
	uint64_t buf;

	if (!(core_online() & (1ull << PEER)) || !chan_up(PEER)) {
		log_printf("bench-smp: needs core %u online; nothing measured\n", PEER);
		arch_emulator_exit(false);
		return;
	}
	if (frame_alloc_block(SAMPLE_ORDER, &buf) != ERR_OK) {
		log_printf("bench-smp: no memory for samples\n");
		arch_emulator_exit(false);
		return;
	}
	uint64_t *samples = hhdm_ptr(buf);
	bool ok = send_spin(PEER, MSG_CORE_RUN, &go, sizeof go) && measure_line(&f, samples) &&
	          measure_rtt(&f, samples) && measure_stream(&f);
	frame_free_block(buf, SAMPLE_ORDER);
	if (ok)
		report(&f);
	else
		log_printf("bench-smp: core %u stopped answering\n", PEER);
	arch_emulator_exit(ok);
}
