/* QEMU monitor commands for the boot matrix; see monitor.h. */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int monitor_wanted(const struct matrix_entry *e)
{
	char part[sizeof e->text];

	if (e->expect != EXPECT_LINES)
		return 0;
	for (int i = 0; matrix_line_part(e->text, i, part, sizeof part); i++)
		if (part[0] == MATRIX_COMMAND)
			return 1;
	return 0;
}

void monitor_init(struct monitor *m, const struct matrix_entry *e, const char *log_path)
{
	const char *dot = strrchr(log_path, '.');
	int n = dot ? (int)(dot - log_path) : (int)strlen(log_path);

	memset(m, 0, sizeof *m);
	m->fd = -1;
	if (!monitor_wanted(e) ||
	    snprintf(m->path, sizeof m->path, "%.*s.monitor", n, log_path) >= (int)sizeof m->path)
		m->path[0] = '\0';
	else
		unlink(m->path); /* a socket a killed run left behind */
}

static int connect_to(struct monitor *m)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memcpy(a.sun_path, m->path, strlen(m->path) + 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		snprintf(m->error, sizeof m->error, "monitor %s: %s", m->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	m->fd = fd;
	return 0;
}

/* Reads and drops what the monitor said (its banner, prompts, echoes). */
static void drain(struct monitor *m)
{
	char buf[512];

	while (m->fd >= 0 && read(m->fd, buf, sizeof buf) > 0)
		;
}

void monitor_step(struct monitor *m, const struct matrix_entry *e, uint64_t *seen, double now)
{
	char part[sizeof e->text];
	int i, found = 0;

	if (!m->path[0])
		return;
	drain(m);
	for (i = 0; !found && matrix_line_part(e->text, i, part, sizeof part); i++)
		found = !(*seen >> i & 1);
	i--;
	if (!found || part[0] != MATRIX_COMMAND)
		return; /* everything seen, or the first missing part is a line */
	if (m->last > 0 && now - m->last < MONITOR_GAP)
		return;
	if (m->fd < 0 && connect_to(m) != 0)
		return;
	char line[sizeof part + 1];
	int n = snprintf(line, sizeof line, "%s\n", part + 1);
	if (write(m->fd, line, (size_t)n) != n) {
		snprintf(m->error, sizeof m->error, "monitor: writing \"%s\": %s", part + 1,
		         strerror(errno));
		return;
	}
	*seen |= 1ull << i;
	m->last = now;
}

void monitor_close(struct monitor *m)
{
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	if (m->path[0])
		unlink(m->path);
}
