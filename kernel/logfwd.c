/* Log lines from the APs to core 0's console; see logfwd.h. */
#include "logfwd.h"

#include <string/mem.h>
#include <tessera/msg.h>

#include "chan.h"
#include "ktime.h"
#include "log.h"
#include "msgloop.h"

#define PIECE_MAX sizeof(((struct msg_log_line *)0)->text)

static char line[LOGFWD_LINE_MAX]; /* the line being written */
static size_t line_len;
static char queue[LOGFWD_QUEUE]; /* whole lines waiting to go, oldest first */
static size_t q_head, q_len;
static bool pumping;
static uint64_t dropped;

/* Appends line[0 .. line_len) to the queue, whole or not at all, ending
 * it with a newline if it has none (a line cut at LOGFWD_LINE_MAX). */
static void enqueue(void)
{
	bool cut = line[line_len - 1] != '\n';

	if (line_len + cut > LOGFWD_QUEUE - q_len) {
		dropped++;
		return;
	}
	for (size_t i = 0; i < line_len; i++)
		queue[(q_head + q_len + i) % LOGFWD_QUEUE] = line[i];
	q_len += line_len;
	if (cut)
		queue[(q_head + q_len++) % LOGFWD_QUEUE] = '\n';
}

/* The next piece of the queue's first line: its bytes, and whether it
 * ends the line. */
static size_t next_piece(struct msg_log_line *m)
{
	size_t n = 0;

	memset(m, 0, sizeof *m);
	while (n < PIECE_MAX && n < q_len) {
		char c = queue[(q_head + n) % LOGFWD_QUEUE];
		m->text[n++] = c;
		if (c == '\n') {
			m->last = 1;
			break;
		}
	}
	m->len = (uint8_t)n;
	return n;
}

/* Sends what is queued through the message loop, which serves this core's
 * other channels while core 0's is full.  A line logged by a handler run
 * meanwhile joins the queue and goes after the ones before it; only the
 * outermost call sends. */
static void pump(void)
{
	struct msg_log_line m;

	if (pumping)
		return;
	pumping = true;
	while (q_len) {
		size_t n = next_piece(&m);
		if (msgloop_send(0, MSG_LOG_LINE, &m, sizeof m, ktime_deadline(LOGFWD_SEND_MS))) {
			dropped++; /* the rest of this line goes too */
			while (n < q_len && queue[(q_head + n - 1) % LOGFWD_QUEUE] != '\n')
				n++;
		}
		q_head = (q_head + n) % LOGFWD_QUEUE;
		q_len -= n;
	}
	pumping = false;
}

/* The log output of an AP: collects a line, queues and sends it at its
 * newline. */
static void fwd_write(void *ctx, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		line[line_len++] = s[i];
		if (s[i] == '\n' || line_len == sizeof line) {
			enqueue();
			line_len = 0;
			pump();
		}
	}
}

static struct log_output fwd_out = {.write = fwd_write};

void logfwd_attach(void)
{
	log_attach(&fwd_out, true);
}

uint64_t logfwd_dropped(void)
{
	return dropped;
}

/* Core 0: the line each core is sending, piece by piece (a line's pieces
 * come in order on one channel; other cores' pieces may come between). */
static struct {
	char text[LOGFWD_LINE_MAX];
	size_t len;
} partial[CHAN_MAX_CORES];

void logfwd_print(unsigned from, const struct urpc_msg *m)
{
	struct msg_log_line p;

	if (from >= CHAN_MAX_CORES)
		return;
	char *text = partial[from].text;
	size_t *len = &partial[from].len;
	if (msg_decode_log_line(m, &p) != ERR_OK || p.len > PIECE_MAX) {
		log_rawf("%.*s [cut short]\n", (int)*len, text);
		*len = 0;
		return;
	}
	size_t n = p.len < LOGFWD_LINE_MAX - *len ? p.len : LOGFWD_LINE_MAX - *len;
	memcpy(text + *len, p.text, n);
	*len += n;
	if (p.last) {
		log_rawf("%.*s", (int)*len, text);
		*len = 0;
	}
}
