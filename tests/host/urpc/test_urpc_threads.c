/* URPC between threads: every thread sends TEST_SEQ messages to every other
 * thread over its own bidirectional channel while receiving from all of them,
 * as the kernel's all-pairs test will.  Each message carries its position and
 * a checksum, so the receiver sees any loss, duplicate, reordering or torn
 * payload.  Sequence numbers start just below 2^32 to wrap mid-run.
 * Run under TSan too (see tests/host/urpc/build.mk) to check the orderings. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <urpc/test_seq.h>

#include "../htest.h"
#include "urpc_test.h"

#define MESH_MAX      8
#define STALL_SECONDS 20

struct mesh {
	unsigned n;
	uint32_t slots;
	uint64_t count; /* messages per direction per channel */
	void *block[MESH_MAX][MESH_MAX];
	int abort; /* atomic: some worker failed */
};

struct worker {
	struct mesh *mesh;
	unsigned self;
	struct urpc_pair end[MESH_MAX];
	uint64_t sent[MESH_MAX], got[MESH_MAX];
	unsigned errors;
	char error[160];
	pthread_t thread;
};

/* Records the worker's first error and stops every worker. */
static void worker_fail(struct worker *w, const char *what, unsigned peer, enum err e)
{
	if (w->errors++ == 0)
		snprintf(w->error, sizeof w->error, "core %u <- %u msg %llu: %s%s%s", w->self, peer,
		         (unsigned long long)w->got[peer], what, e ? ": " : "",
		         e ? err_str(e) : "");
	__atomic_store_n(&w->mesh->abort, 1, __ATOMIC_RELAXED);
}

/* One non-blocking send and one receive on the channel to `peer`; true when
 * either made progress. */
static bool worker_step(struct worker *w, unsigned peer)
{
	struct mesh *m = w->mesh;
	bool progress = false;
	if (w->sent[peer] < m->count) {
		struct msg_test_seq out;
		urpc_test_seq_fill(&out, w->self, w->sent[peer]);
		enum err e = msg_send_test_seq(&w->end[peer].tx, &out);
		if (e == ERR_OK) {
			w->sent[peer]++;
			progress = true;
		} else if (e != ERR_FULL) {
			worker_fail(w, "send failed", peer, e);
		}
	}
	struct urpc_msg msg;
	enum err e = urpc_recv(&w->end[peer].rx, &msg);
	if (e == ERR_EMPTY)
		return progress;
	struct msg_test_seq in;
	if (e == ERR_OK)
		e = msg_decode_test_seq(&msg, &in);
	if (e != ERR_OK)
		worker_fail(w, "bad message", peer, e);
	else if (w->got[peer] >= m->count)
		worker_fail(w, "message beyond the last", peer, e);
	else if (!urpc_test_seq_check(&in, peer, w->got[peer]))
		worker_fail(w, "lost, reordered or torn message", peer, e);
	w->got[peer]++;
	return true;
}

/* True when this worker has sent and received everything. */
static bool worker_done(const struct worker *w)
{
	for (unsigned p = 0; p < w->mesh->n; p++)
		if (p != w->self && (w->sent[p] < w->mesh->count || w->got[p] < w->mesh->count))
			return false;
	return true;
}

/* The thread body: steps every channel until done, yielding when idle;
 * fails after STALL_SECONDS without progress (a lost ack or message). */
static void *worker_run(void *arg)
{
	struct worker *w = arg;
	time_t idle_since = 0;
	unsigned idle = 0;
	while (!worker_done(w) && !__atomic_load_n(&w->mesh->abort, __ATOMIC_RELAXED)) {
		bool progress = false;
		for (unsigned p = 0; p < w->mesh->n; p++)
			if (p != w->self)
				progress |= worker_step(w, p);
		if (progress) {
			idle = 0;
			continue;
		}
		if (idle++ == 0)
			idle_since = time(NULL);
		sched_yield();
		if (idle % 4096 == 0 && time(NULL) - idle_since > STALL_SECONDS)
			worker_fail(w, "stalled", w->self, ERR_TIMEOUT);
	}
	return NULL;
}

/* Allocates a channel block for every pair; both regions start at first_seq. */
static enum err mesh_init(struct mesh *m, struct worker *w, uint32_t first_seq)
{
	size_t region = urpc_region_size(m->slots);
	for (unsigned i = 0; i < m->n; i++) {
		w[i].mesh = m;
		w[i].self = i;
		for (unsigned j = i + 1; j < m->n; j++) {
			char *b = m->block[i][j] = urpc_test_alloc(2 * region);
			if (!b)
				return ERR_NOMEM;
			enum err e = urpc_region_init_seq(b, m->slots, first_seq);
			if (e == ERR_OK)
				e = urpc_region_init_seq(b + region, m->slots, first_seq);
			if (e != ERR_OK)
				return e;
		}
	}
	for (unsigned i = 0; i < m->n; i++)
		for (unsigned j = 0; j < m->n; j++) {
			void *b = i < j ? m->block[i][j] : m->block[j][i];
			enum err e =
			        i == j ? ERR_OK : urpc_pair_init(&w[i].end[j], b, m->slots, i > j);
			if (e != ERR_OK)
				return e;
		}
	return ERR_OK;
}

/* Runs n threads, each sending `count` messages to every other. */
static void run_mesh(unsigned n, uint32_t slots, uint64_t count, uint32_t first_seq)
{
	static struct worker w[MESH_MAX];
	struct mesh m = {.n = n, .slots = slots, .count = count};
	memset(w, 0, sizeof w);
	HT_ASSERT(n <= MESH_MAX);
	HT_ASSERT(mesh_init(&m, w, first_seq) == ERR_OK);
	for (unsigned i = 0; i < n; i++)
		HT_ASSERT(pthread_create(&w[i].thread, NULL, worker_run, &w[i]) == 0);
	for (unsigned i = 0; i < n; i++)
		pthread_join(w[i].thread, NULL);
	for (unsigned i = 0; i < n; i++) {
		if (w[i].errors)
			printf("    # %s (%u errors)\n", w[i].error, w[i].errors);
		HT_EXPECT_EQ(w[i].errors, 0);
		for (unsigned j = 0; j < n; j++) {
			if (i == j)
				continue;
			HT_EXPECT_EQ(w[i].got[j], count);          /* all arrived ... */
			HT_EXPECT(!urpc_pending(&w[i].end[j].rx)); /* ... exactly once */
			HT_EXPECT_EQ(w[i].end[j].rx.seq, (uint32_t)(first_seq + count));
		}
	}
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++)
			free(m.block[i][j]);
}

HTEST(two_threads)
{
	run_mesh(2, 16, 20000, UINT32_MAX - 7000);
}

HTEST(two_threads_tiny_ring)
{
	run_mesh(2, 2, 10000, UINT32_MAX - 3000);
	run_mesh(2, 1, 10000, 0);
}

HTEST(many_pairs)
{
	run_mesh(4, 8, 5000, UINT32_MAX - 1000);
}
