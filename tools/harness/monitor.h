/* Input injection for boot-matrix entries: QEMU's human monitor (HMP) on a
 * Unix socket, and the commands of an entry's lines: parts that start
 * with '>' (matrix.h) sent in order, each once every part before it was
 * seen or sent, at least MONITOR_GAP seconds apart (so one command's keys
 * are up before the next one's go down).  Only entries with such parts
 * get a monitor; the others run with -monitor none. */
#ifndef TOOLS_HARNESS_MONITOR_H
#define TOOLS_HARNESS_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "matrix.h"

#define MONITOR_GAP 0.5 /* seconds between two commands */

struct monitor {
	char path[108]; /* sun_path: "" when the entry has no commands */
	int fd;         /* connected socket, or -1 */
	double last;    /* when the last command went */
	char error[128];
};

/* Whether e's lines: have commands. */
int monitor_wanted(const struct matrix_entry *e);

/* The socket path for an entry whose serial log is log_path (its ".serial"
 * replaced by ".monitor"); "" if it has no commands or the path does not
 * fit. */
void monitor_init(struct monitor *m, const struct matrix_entry *e, const char *log_path);

/* Sends the next command of e if every part before it is in *seen (bit
 * i: part i seen, or sent) and the gap has passed; marks it sent in
 * *seen.  Connects on the first command; a failure is kept in m->error
 * and the command stays unsent (the entry then fails naming it). */
void monitor_step(struct monitor *m, const struct matrix_entry *e, uint64_t *seen, double now);

/* Closes the connection and removes the socket file. */
void monitor_close(struct monitor *m);

#endif
