/* A window client's channel to init (wctl.h). */
#include "wctl.h"

#include <rt/initproto.h>
#include <rt/invoke.h>
#include <rt/mem.h>
#include <rt/rt.h>
#include <rt/service.h>
#include <string/mem.h>

#define RW   (CAP_RIGHT_READ | CAP_RIGHT_WRITE)
#define ROOT 1u

#define READY_US  3000000ull /* init answers a connect at once, or refused it */
#define TIMER_BIT (1ull << 7)

/* Sleeps until init's READY bit (TIMEOUT: none in READY_US, init refused
 * the channel, e.g. all its control channels in use); every other bit is
 * kept for later. */
static enum err ready(void)
{
	struct rt_capref self = rt_root_ref(SLOT_NOTIFY);
	enum err e = invoke_notify_timer(self.addr, self.depth, READY_US, TIMER_BIT, NULL);

	while (!e) {
		struct cap_results_notify_wait r;
		e = invoke_notify_wait(rt_cap(SLOT_NOTIFY), rt_depth(), 0, &r);
		if (e)
			break;
		if (r.bits & ~(INIT_CONTROL_BIT_READY | TIMER_BIT))
			rt_chan_stash(r.bits & ~(INIT_CONTROL_BIT_READY | TIMER_BIT));
		if (r.bits & INIT_CONTROL_BIT_READY)
			break;
		if (r.bits & TIMER_BIT)
			return ERR_TIMEOUT;
	}
	invoke_notify_timer(self.addr, self.depth, 0, 0, NULL); /* disarmed */
	return e;
}

enum err wctl_open(struct wctl *w)
{
	static const uint64_t words[5] = {INIT_CONTROL_CONNECT, 0, 0, 0, 0};
	struct rt_service control;
	struct rt_capref box;
	uint64_t off, at = 0;
	unsigned bits;

	if (w->up || w->tried)
		return w->up ? ERR_OK : w->error;
	w->tried = true;
	enum err e = rt_service_find("control", &control);
	if (!e)
		e = rt_memory() ? rt_retype_slot(rt_memory(), CAP_CNODE, INIT_CONTROL_BITS, &box,
		                                 &off, &bits)
		                : ERR_NOMEM;
	if (!e)
		e = rt_mint(rt_ref_in(box, INIT_CONTROL_BITS, INIT_CONTROL_SLOT_NOTIFY),
		            rt_root_ref(SLOT_NOTIFY), CAP_RIGHT_WRITE | CAP_RIGHT_GRANT);
	if (!e)
		e = rt_service_call(&control, box, words);
	if (!e)
		e = ready();
	if (!e)
		e = (at = rt_map_area(1)) ? ERR_OK : ERR_NOMEM;
	if (!e)
		e = rt_map(rt_ref_in(box, INIT_CONTROL_BITS, INIT_CONTROL_SLOT_FRAME), at, RW);
	if (!e)
		e = rt_chan_init(&w->ch, (void *)(uintptr_t)at, 1, false, rt_root_ref(SLOT_NOTIFY),
		                 control.wake, CLIENT_BIT_MON);
	w->up = !e;
	w->error = e;
	return e;
}

enum err wctl_ask(struct wctl *w, uint16_t type, const void *payload, size_t len)
{
	enum err e = wctl_open(w);
	return e ? e : rt_chan_send(&w->ch, type, payload, len);
}

enum err wctl_answer(struct wctl *w, struct urpc_msg *m)
{
	struct rt_chan *chans[] = {&w->ch};
	uint64_t kept = 0;
	enum err e;

	if (!w->up)
		return ERR_NOENT;
	for (;;) {
		e = rt_chan_recv(&w->ch, m);
		if (e == ERR_OK && m->type == INIT_READY)
			continue;
		if (e != ERR_EMPTY)
			break;
		kept |= rt_chan_wait(rt_root_ref(SLOT_NOTIFY), chans, 1) & ~CLIENT_BIT_MON;
	}
	if (kept)
		rt_chan_stash(kept); /* the window's tick and the desktop's signals */
	return e;
}

enum err wctl_fs(struct wctl *w, uint16_t type, const void *q, struct fs_reply *r, void *data,
                 size_t max, size_t *got)
{
	struct urpc_msg m;
	enum err e = wctl_ask(w, type, q, URPC_PAYLOAD_MAX);

	while (!e && !(e = wctl_answer(w, &m))) {
		if (m.type == FS_DATA && m.len == sizeof(struct fs_data) && data) {
			struct fs_data d;
			memcpy(&d, m.payload, sizeof d);
			for (uint32_t i = 0; i < d.len && i < FS_DATA_MAX && *got < max; i++)
				((uint8_t *)data)[(*got)++] = d.data[i];
		} else if (m.type == FS_REPLY && m.len == sizeof *r) {
			memcpy(r, m.payload, sizeof *r);
			return (enum err)r->err;
		} else if (m.type == INIT_DONE) {
			return ERR_UNSUPPORTED; /* an init that passes no file requests on */
		}
	}
	return e;
}

void wctl_close(struct wctl *w, uint32_t h)
{
	struct fs_req_io q = {.h = h};
	struct fs_reply r;

	if (h != ROOT)
		wctl_fs(w, FS_CLOSE, &q, &r, NULL, 0, NULL);
}

enum err wctl_walk(struct wctl *w, const char *path, uint32_t rights, uint32_t *h)
{
	uint32_t at = ROOT;

	while (*path) {
		/* a handle's rights only shrink: a directory on the way keeps
		 * those wanted at the end */
		struct fs_req_path q = {.dir = at, .arg = FS_R_WALK | rights};
		struct fs_reply r;
		size_t n = 0;
		while (*path == '/')
			path++;
		while (path[n] && path[n] != '/')
			n++;
		if (!n)
			break;
		if (n >= sizeof q.path) {
			wctl_close(w, at);
			return ERR_RANGE;
		}
		memcpy(q.path, path, n);
		path += n;
		while (*path == '/')
			path++;
		if (!*path)
			q.arg = rights; /* the last part: what the caller wants of it */
		enum err e = wctl_fs(w, FS_WALK, &q, &r, NULL, 0, NULL);
		wctl_close(w, at);
		if (e)
			return e;
		at = r.handle;
	}
	*h = at;
	return ERR_OK;
}

enum err wctl_read(struct wctl *w, const char *path, char *buf, size_t cap, size_t *len)
{
	uint32_t h;
	struct fs_reply r;
	enum err e = wctl_walk(w, path, FS_R_READ, &h);

	*len = 0;
	if (e)
		return e;
	while (!e) {
		struct fs_req_io q = {.h = h, .off = *len};
		size_t before = *len;
		q.len = cap - *len < FS_READ_MAX ? (uint32_t)(cap - *len) : FS_READ_MAX;
		if (!q.len) {
			/* full: one byte more says whether the file is longer */
			char extra;
			size_t one = 0;
			q.len = 1;
			e = wctl_fs(w, FS_READ, &q, &r, &extra, 1, &one);
			if (!e && one)
				e = ERR_RANGE;
			break;
		}
		e = wctl_fs(w, FS_READ, &q, &r, buf, cap, len);
		if (*len == before)
			break; /* the end */
	}
	wctl_close(w, h);
	return e;
}

/* The directory part of path, walked for creating, and its last part. */
static enum err create(struct wctl *w, const char *path, uint32_t *h)
{
	char dir[128];
	const char *last = path;
	struct fs_req_path q = {.arg = FS_KIND_FILE};
	struct fs_reply r = {0};

	for (const char *s = path; *s; s++)
		if (*s == '/')
			last = s + 1;
	if ((size_t)(last - path) >= sizeof dir || strlen(last) >= sizeof q.path || !*last)
		return ERR_RANGE;
	memcpy(dir, path, (size_t)(last - path));
	dir[last - path] = 0;
	enum err e = wctl_walk(w, dir, FS_R_WALK | FS_R_CREATE, &q.dir);
	if (e)
		return e;
	mem_strlcpy(q.path, last, sizeof q.path);
	e = wctl_fs(w, FS_CREATE, &q, &r, NULL, 0, NULL);
	wctl_close(w, q.dir);
	*h = r.handle;
	return e;
}

enum err wctl_write(struct wctl *w, const char *path, const char *buf, size_t len)
{
	uint32_t h;
	struct fs_reply r;
	enum err e = wctl_walk(w, path, FS_R_WRITE, &h);

	if (e == ERR_NOENT)
		e = create(w, path, &h);
	if (e)
		return e;
	struct fs_req_io t = {.h = h, .off = 0};
	e = wctl_fs(w, FS_TRUNC, &t, &r, NULL, 0, NULL);
	for (size_t at = 0; !e && at < len; at += FS_IO_MAX) {
		struct fs_req_io q = {.h = h, .off = at};
		q.len = len - at < FS_IO_MAX ? (uint32_t)(len - at) : FS_IO_MAX;
		memcpy(q.data, buf + at, q.len);
		e = wctl_fs(w, FS_WRITE, &q, &r, NULL, 0, NULL);
	}
	wctl_close(w, h);
	return e;
}

const char *wctl_why(enum err e)
{
	if (e == ERR_UNSUPPORTED)
		return "no file service is running";
	if (e == ERR_NOENT)
		return "no such file or directory";
	return err_str(e);
}
