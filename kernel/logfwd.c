/* Log lines from the APs to core 0's console; see logfwd.h. */
#include "logfwd.h"

#include <string/mem.h>
#include <tessera/msg.h>

#include "chan.h"
#include "log.h"

#define PIECE_MAX sizeof(((struct msg_log_line *)0)->text)

static char line[LOGFWD_LINE_MAX];
static size_t line_len;
static uint64_t dropped;

/* Sends line[0 .. line_len) as pieces, the last one marked. */
static void send_line(void)
{
	size_t off = 0;

	do {
		struct msg_log_line m = {0};
		size_t n = line_len - off < PIECE_MAX ? line_len - off : PIECE_MAX;
		memcpy(m.text, line + off, n);
		m.len = (uint8_t)n;
		off += n;
		m.last = off == line_len;
		if (chan_send_wait(0, MSG_LOG_LINE, &m, sizeof m, LOGFWD_SEND_MS) != ERR_OK) {
			dropped++;
			break;
		}
	} while (off < line_len);
	line_len = 0;
}

/* The log output of an AP: collects a line, sends it at its newline. */
static void fwd_write(void *ctx, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		line[line_len++] = s[i];
		if (s[i] == '\n' || line_len == sizeof line)
			send_line();
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
