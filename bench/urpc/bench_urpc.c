/* URPC host benchmark: two threads pinned to two CPUs measure
 *   raw      one cache line bounced between them (a counter each increments
 *            in turn) -- the physical floor of any cross-core message;
 *   raw2     one line per direction (each thread writes its own flag and
 *            polls the other's), the shape URPC has: its own floor;
 *   rtt      PING/PONG round trip over a URPC channel pair;
 *   stream   one-way throughput of full 56-byte messages;
 * in TSC cycles and ns, and print URPC against the raw floor.
 * Usage: bench_urpc [CPU_A CPU_B [ITERATIONS]]   (default 0 1 200000)
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tessera/msg.h>
#include <time.h>

#define SLOTS  64
#define TRIALS 5
#define PHASES 4 /* raw, raw2, rtt, stream */

/* A value alone in its cache line. */
struct line {
	_Alignas(64) uint64_t v;
};

struct bench {
	int cpu[2];
	uint64_t iters;
	void *block;                 /* URPC channel pair */
	struct line counter;         /* the raw bounce line */
	struct line flag[2];         /* raw2: flag[i] written by side i */
	_Alignas(64) unsigned start; /* start barrier */
	uint64_t t_end;              /* stream: receiver's finishing time */
};

/* A timestamp in TSC cycles (ns where there is no TSC). */
static inline uint64_t ticks(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __builtin_ia32_rdtsc();
#else
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
}

/* The spin-wait hint. */
static inline void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Ticks per ns, measured against CLOCK_MONOTONIC over ~100 ms. */
static double ticks_per_ns(void)
{
	double n0 = now_ns();
	uint64_t t0 = ticks();
	while (now_ns() - n0 < 100e6)
		;
	return (double)(ticks() - t0) / (now_ns() - n0);
}

/* Pins the calling thread to one CPU; warns (and runs unpinned) on failure. */
static void pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof set, &set) != 0)
		fprintf(stderr, "bench_urpc: cannot pin to CPU %d, running unpinned\n", cpu);
}

/* Both threads wait here so timing starts with both running. */
static void barrier(struct bench *b, unsigned round)
{
	__atomic_add_fetch(&b->start, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&b->start, __ATOMIC_ACQUIRE) < 2 * round)
		relax();
}

/* Waits until a line holds `want`. */
static void line_wait(struct line *l, uint64_t want)
{
	while (__atomic_load_n(&l->v, __ATOMIC_ACQUIRE) != want)
		relax();
}

/* Publishes v in a line. */
static void line_set(struct line *l, uint64_t v)
{
	__atomic_store_n(&l->v, v, __ATOMIC_RELEASE);
}

/* Attaches one side of the channel pair. */
static void attach(struct bench *b, struct urpc_pair *p, unsigned side)
{
	if (urpc_pair_init(p, b->block, SLOTS, side) != ERR_OK) {
		fprintf(stderr, "bench_urpc: urpc_pair_init failed\n");
		exit(1);
	}
}

/* Spins until a message arrives on p. */
static void recv_spin(struct urpc_pair *p, struct urpc_msg *m)
{
	while (urpc_recv(&p->rx, m) == ERR_EMPTY)
		relax();
}

/* Side B: answer the raw bounce, echo PINGs, drain the stream. */
static void *side_b(void *arg)
{
	struct bench *b = arg;
	struct urpc_pair p;
	struct urpc_msg m;
	struct msg_ping ping;
	pin(b->cpu[1]);
	attach(b, &p, 1);
	for (unsigned t = 0; t < TRIALS; t++) {
		barrier(b, PHASES * t + 1);
		for (uint64_t i = 0; i < b->iters; i++) {
			line_wait(&b->counter, 2 * i + 1);
			line_set(&b->counter, 2 * i + 2);
		}
		barrier(b, PHASES * t + 2);
		for (uint64_t i = 1; i <= b->iters; i++) {
			line_wait(&b->flag[0], i);
			line_set(&b->flag[1], i);
		}
		barrier(b, PHASES * t + 3);
		for (uint64_t i = 0; i < b->iters; i++) {
			recv_spin(&p, &m);
			if (msg_decode_ping(&m, &ping) != ERR_OK)
				abort();
			while (msg_send_pong(&p.tx, &ping) == ERR_FULL)
				relax();
		}
		barrier(b, PHASES * t + 4);
		for (uint64_t i = 0; i < b->iters; i++)
			recv_spin(&p, &m);
		__atomic_store_n(&b->t_end, ticks(), __ATOMIC_RELEASE);
	}
	return NULL;
}

/* Side A, raw bounce: ticks per round trip (the counter is 0 at entry). */
static double run_raw(struct bench *b)
{
	uint64_t t0 = ticks();
	for (uint64_t i = 0; i < b->iters; i++) {
		line_set(&b->counter, 2 * i + 1);
		line_wait(&b->counter, 2 * i + 2);
	}
	double r = (double)(ticks() - t0) / b->iters;
	line_set(&b->counter, 0);
	return r;
}

/* Side A, one line per direction: ticks per round trip (flags 0 at entry). */
static double run_raw2(struct bench *b)
{
	uint64_t t0 = ticks();
	for (uint64_t i = 1; i <= b->iters; i++) {
		line_set(&b->flag[0], i);
		line_wait(&b->flag[1], i);
	}
	double r = (double)(ticks() - t0) / b->iters;
	line_set(&b->flag[0], 0);
	line_set(&b->flag[1], 0);
	return r;
}

/* Side A, PING/PONG: ticks per round trip. */
static double run_rtt(struct bench *b, struct urpc_pair *p)
{
	struct urpc_msg m;
	struct msg_ping ping, pong;
	uint64_t t0 = ticks();
	for (uint64_t i = 0; i < b->iters; i++) {
		ping = (struct msg_ping){.seq = i, .tsc = ticks()};
		while (msg_send_ping(&p->tx, &ping) == ERR_FULL)
			relax();
		recv_spin(p, &m);
		if (msg_decode_pong(&m, &pong) != ERR_OK || pong.seq != i)
			abort();
	}
	return (double)(ticks() - t0) / b->iters;
}

/* Side A, stream: ticks per message until the receiver has them all. */
static double run_stream(struct bench *b, struct urpc_pair *p)
{
	uint8_t payload[URPC_PAYLOAD_MAX];
	memset(payload, 0x3c, sizeof payload);
	__atomic_store_n(&b->t_end, 0, __ATOMIC_RELAXED);
	uint64_t t0 = ticks();
	for (uint64_t i = 0; i < b->iters; i++)
		while (urpc_send(&p->tx, MSG_TEST_SEQ, payload, sizeof payload) == ERR_FULL)
			relax();
	uint64_t t1;
	while ((t1 = __atomic_load_n(&b->t_end, __ATOMIC_ACQUIRE)) == 0)
		relax();
	return (double)(t1 - t0) / b->iters;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median of TRIALS samples. */
static double median(double *v)
{
	qsort(v, TRIALS, sizeof *v, cmp_double);
	return v[TRIALS / 2];
}

/* Runs side A and the trials; res[phase] gets each phase's median. */
static void run(struct bench *b, double res[PHASES])
{
	double v[PHASES][TRIALS];
	struct urpc_pair p;
	pin(b->cpu[0]);
	attach(b, &p, 0);
	for (unsigned t = 0; t < TRIALS; t++) {
		barrier(b, PHASES * t + 1);
		v[0][t] = run_raw(b);
		barrier(b, PHASES * t + 2);
		v[1][t] = run_raw2(b);
		barrier(b, PHASES * t + 3);
		v[2][t] = run_rtt(b, &p);
		barrier(b, PHASES * t + 4);
		v[3][t] = run_stream(b, &p);
	}
	for (unsigned i = 0; i < PHASES; i++)
		res[i] = median(v[i]);
}

/* Prints the medians and their ratios to the raw floors. */
static void report(const struct bench *b, double tpn, const double res[PHASES])
{
	double raw = res[0], raw2 = res[1], rtt = res[2], stream = res[3];
	printf("urpc bench: CPUs %d and %d, %llu iterations x %d trials (median), "
	       "%d slots, %.3f TSC cycles/ns\n",
	       b->cpu[0], b->cpu[1], (unsigned long long)b->iters, TRIALS, SLOTS, tpn);
	printf("  %-34s %8.1f cycles %8.1f ns  (baseline)\n", "raw: one shared line, round trip",
	       raw, raw / tpn);
	printf("  %-34s %8.1f cycles %8.1f ns  %.2fx raw\n", "raw2: line per direction, round trip",
	       raw2, raw2 / tpn, raw2 / raw);
	printf("  %-34s %8.1f cycles %8.1f ns  %.2fx raw, %.2fx raw2\n",
	       "urpc ping/pong, round trip", rtt, rtt / tpn, rtt / raw, rtt / raw2);
	printf("  %-34s %8.1f cycles %8.1f ns  %.2fx raw one-way, %.1f M msg/s\n",
	       "urpc stream, per 56-byte message", stream, stream / tpn, stream / (raw / 2),
	       1e3 * tpn / stream);
}

int main(int argc, char **argv)
{
	static struct bench b = {.cpu = {0, 1}, .iters = 200000};
	if (argc >= 3) {
		b.cpu[0] = atoi(argv[1]);
		b.cpu[1] = atoi(argv[2]);
	}
	if (argc >= 4)
		b.iters = strtoull(argv[3], NULL, 0);
	b.block = aligned_alloc(URPC_LINE_SIZE, urpc_pair_size(SLOTS));
	if (!b.block || urpc_pair_region_init(b.block, SLOTS) != ERR_OK)
		return 1;
	double tpn = ticks_per_ns(), res[PHASES];
	pthread_t tb;
	if (pthread_create(&tb, NULL, side_b, &b) != 0)
		return 1;
	run(&b, res);
	pthread_join(tb, NULL);

	report(&b, tpn, res);
	free(b.block);
	return 0;
}
