/* Log lines from the APs to core 0's console; see logfwd.h. */
#include "logfwd.h"

#include <arch/arch.h>
#include <string/mem.h>
#include <tessera/msg.h>

#include "chan.h"
#include "ktime.h"
#include "log.h"

#define PIECE_MAX sizeof(((struct msg_log_line *)0)->text)

/* How long core 0 waits for the next piece of a line. */
#define PIECE_WAIT_MS 500

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

/* Appends the text of a LOG_LINE message to buf; whether it was the last. */
static bool take_piece(const struct urpc_msg *m, char *buf, size_t *len, bool *bad)
{
	struct msg_log_line p;

	if (msg_decode_log_line(m, &p) != ERR_OK || p.len > PIECE_MAX) {
		*bad = true;
		return true;
	}
	size_t n = p.len < LOGFWD_LINE_MAX - *len ? p.len : LOGFWD_LINE_MAX - *len;
	memcpy(buf + *len, p.text, n);
	*len += n;
	return p.last;
}

void logfwd_print(unsigned from, const struct urpc_msg *m)
{
	char buf[LOGFWD_LINE_MAX];
	size_t len = 0;
	bool bad = false;
	bool last = take_piece(m, buf, &len, &bad);
	uint64_t deadline = ktime_deadline(PIECE_WAIT_MS);

	while (!last && !bad) {
		struct urpc_msg next;
		if (chan_recv(from, &next) == ERR_OK) {
			last = take_piece(&next, buf, &len, &bad);
		} else if (ktime_passed(deadline)) {
			break;
		} else {
			arch_relax();
		}
	}
	log_rawf("%.*s%s", (int)len, buf, last && !bad ? "" : " [cut short]\n");
}
