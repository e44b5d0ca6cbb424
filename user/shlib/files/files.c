/* libfiles: the file commands (ls, cat, write, mkdir, rm, disks) over the file
 * service's protocol (user/fs/fsproto.h), a command library of the shell
 * (user/shlib/shlib.h; signatures: files.manifest over files.schema).
 * The shell holds no channel to the file service: it sends the protocol's
 * requests on its channel to init, which passes them to the file service
 * it started and its answers back (init answers ERR_UNSUPPORTED itself
 * while it has none).  Paths are relative to the root handle (1) the
 * shell was granted. */
#include <fmt/fmt.h>
#include <rt/initproto.h>
#include <string/mem.h>

#include "../../fs/fsproto.h"
#include "../names.h"
#include "../shlib.h"

#define ROOT 1u

/* One request; its FS_REPLY into *r (FS_DATA before it to data, max). */
static enum err ask(struct shell_call *c, uint16_t type, const void *q, struct fs_reply *r,
                    char *data, size_t max, size_t *got)
{
	struct urpc_msg m;
	enum err e = shlib_host(c)->ask(type, q, URPC_PAYLOAD_MAX);

	while (!e && !(e = shlib_host(c)->answer(&m))) {
		if (m.type == FS_DATA && m.len == sizeof(struct fs_data) && data) {
			struct fs_data d;
			memcpy(&d, m.payload, sizeof d);
			for (uint32_t i = 0; i < d.len && i < FS_DATA_MAX && *got < max; i++)
				data[(*got)++] = (char)d.data[i];
		} else if (m.type == FS_REPLY && m.len == sizeof *r) {
			memcpy(r, m.payload, sizeof *r);
			if (r->err == ERR_UNSUPPORTED)
				return shlib_fail(c, "no file service is running");
			return r->err ? shlib_fail(c, "%s", err_str((enum err)r->err)) : ERR_OK;
		} else if (m.type == INIT_DONE) {
			return shlib_fail(c, "init passes no file requests on");
		}
	}
	return shlib_no_init(c, e);
}

/* A request naming a path below the root (the leading '/' dropped). */
static struct fs_req_path path_req(uint32_t dir, uint32_t arg, const struct typed_value *p)
{
	struct fs_req_path q = {.dir = dir, .arg = arg};

	mem_strlcpy(q.path, p->str.s[0] == '/' ? p->str.s + 1 : p->str.s, sizeof q.path);
	return q;
}

static void close_handle(struct shell_call *c, uint32_t h)
{
	struct fs_req_io q = {.h = h};
	struct fs_reply r;

	ask(c, FS_CLOSE, &q, &r, NULL, 0, NULL);
}

static enum err walk(struct shell_call *c, const struct typed_value *p, uint32_t rights,
                     uint32_t *h, struct fs_reply *r)
{
	struct fs_req_path q = path_req(ROOT, rights, p);

	if (!q.path[0]) {
		*h = ROOT;
		return ERR_OK;
	}
	enum err e = ask(c, FS_WALK, &q, r, NULL, 0, NULL);
	*h = r->handle;
	return e;
}

SHLIB_CMD files_ls(struct shell_call *c)
{
	static struct fs_reply rows[512];
	struct fs_reply r;
	uint32_t h, n = 0;
	enum err e = walk(c, &c->args->list.items[0], FS_R_WALK, &h, &r);

	for (uint32_t cursor = 0; !e && n < 512;) {
		struct fs_req_path q = {.dir = h, .arg = cursor};
		struct urpc_msg m;
		if ((e = shlib_host(c)->ask(FS_LIST, &q, sizeof q)) ||
		    (e = shlib_host(c)->answer(&m)))
			break;
		memcpy(&rows[n], m.payload, sizeof rows[n]);
		if (m.type != FS_REPLY || rows[n].err == ERR_NOENT)
			break; /* the end of the directory */
		if (rows[n].err) {
			e = shlib_fail(c, "%s",
			               rows[n].err == ERR_UNSUPPORTED
			                       ? "no file service is running"
			                       : err_str((enum err)rows[n].err));
			break;
		}
		cursor = rows[n++].cursor;
	}
	if (h != ROOT)
		close_handle(c, h);
	if (e)
		return e;
	const struct shlib_host *host = shlib_host(c);
	if (!host->make_list(c, c->out, c->out_type, n))
		return ERR_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct typed_value *v = &c->out->list.items[i];
		if (!host->make_record(c->arena, v, c->out_type->list.elem) ||
		    !shlib_str(c, &v->list.items[0], rows[i].name,
		               strnlen(rows[i].name, FS_REPLY_NAME)))
			return ERR_NOMEM;
		v->list.items[1].b = rows[i].attr & 0x10; /* FAT_ATTR_DIR */
		v->list.items[2].u = rows[i].size;
	}
	return ERR_OK;
}

SHLIB_CMD files_cat(struct shell_call *c)
{
	static char buf[4096];
	struct fs_reply r;
	size_t got = 0;
	uint32_t h;
	enum err e = walk(c, &c->args->list.items[0], FS_R_READ, &h, &r);

	if (!e) {
		struct fs_req_io q = {.h = h, .len = sizeof buf, .off = 0};
		e = ask(c, FS_READ, &q, &r, buf, sizeof buf, &got);
		close_handle(c, h);
	}
	if (e)
		return e;
	return shlib_str(c, c->out, buf, got) ? ERR_OK : ERR_NOMEM;
}

/* The directory of p and p's last part into q (relative to the root). */
static enum err parent(struct shell_call *c, const struct typed_value *p, uint32_t rights,
                       uint32_t *dir, struct fs_req_path *q)
{
	struct typed_value up = *p;
	const char *last = p->str.s;
	struct fs_reply r;

	for (const char *s = p->str.s; *s; s++)
		if (*s == '/')
			last = s + 1;
	char *head = shlib_host(c)->alloc(c->arena, p->str.len + 1);
	if (!head)
		return ERR_NOMEM;
	memcpy(head, p->str.s, (size_t)(last - p->str.s));
	head[last - p->str.s] = 0;
	up.str.s = head;
	*q = (struct fs_req_path){0};
	mem_strlcpy(q->path, last, sizeof q->path);
	return walk(c, &up, rights, dir, &r);
}

static enum err make(struct shell_call *c, uint32_t kind, uint32_t *h)
{
	struct fs_req_path q;
	struct fs_reply r;
	uint32_t dir;
	enum err e = parent(c, &c->args->list.items[0], FS_R_WALK | FS_R_CREATE, &dir, &q);

	if (e)
		return e;
	q.dir = dir, q.arg = kind;
	e = ask(c, FS_CREATE, &q, &r, NULL, 0, NULL);
	*h = r.handle;
	if (dir != ROOT)
		close_handle(c, dir);
	return e;
}

SHLIB_CMD files_write(struct shell_call *c)
{
	const struct typed_value *t = &c->args->list.items[1];
	struct fs_reply r;
	uint32_t h;
	enum err e = walk(c, &c->args->list.items[0], FS_R_WRITE, &h, &r);

	if (e && (e = make(c, FS_KIND_FILE, &h)))
		return e;
	struct fs_req_io trunc = {.h = h, .off = 0};
	e = ask(c, FS_TRUNC, &trunc, &r, NULL, 0, NULL);
	for (uint32_t at = 0; !e && at < t->str.len; at += FS_IO_MAX) {
		struct fs_req_io q = {.h = h, .off = at};
		q.len = t->str.len - at < FS_IO_MAX ? t->str.len - at : FS_IO_MAX;
		memcpy(q.data, t->str.s + at, q.len);
		e = ask(c, FS_WRITE, &q, &r, NULL, 0, NULL);
	}
	close_handle(c, h);
	return e;
}

SHLIB_CMD files_mkdir(struct shell_call *c)
{
	uint32_t h;
	enum err e = make(c, FS_KIND_DIR, &h);

	if (!e)
		close_handle(c, h);
	return e;
}

SHLIB_CMD files_rm(struct shell_call *c)
{
	struct fs_req_path q;
	struct fs_reply r;
	uint32_t dir;
	enum err e = parent(c, &c->args->list.items[0], FS_R_WALK | FS_R_REMOVE, &dir, &q);

	if (e)
		return e;
	q.dir = dir, q.arg = c->args->list.items[1].b ? FS_KIND_DIR : FS_KIND_FILE;
	e = ask(c, FS_REMOVE, &q, &r, NULL, 0, NULL);
	if (dir != ROOT)
		close_handle(c, dir);
	return e;
}

/* ---- disks: the file service's disk and its partitions (FS_DISK) ---- */

#define DISK_PARTS 8

static enum err disk_ask(struct shell_call *c, struct fs_disk *d, struct fs_disk_part *parts,
                         uint32_t *n)
{
	static const uint8_t zero[URPC_PAYLOAD_MAX];
	struct fs_reply r;
	struct urpc_msg m;
	enum err e = shlib_host(c)->ask(FS_DISK, zero, sizeof zero);

	*n = 0;
	while (!e && !(e = shlib_host(c)->answer(&m))) {
		if (m.type == FS_DISK_INFO && m.len == sizeof *d) {
			memcpy(d, m.payload, sizeof *d);
		} else if (m.type == FS_DISK_PART && m.len == sizeof *parts && *n < DISK_PARTS) {
			memcpy(&parts[(*n)++], m.payload, sizeof *parts);
		} else if (m.type == FS_REPLY && m.len == sizeof r) {
			memcpy(&r, m.payload, sizeof r);
			if (r.err == ERR_UNSUPPORTED)
				return shlib_fail(c, "no file service on a disk is running");
			return r.err ? shlib_fail(c, "%s", err_str((enum err)r.err)) : ERR_OK;
		} else if (m.type == INIT_DONE) {
			return shlib_fail(c, "init passes no file requests on");
		}
	}
	return shlib_no_init(c, e);
}

/* One partition's row: index, type (its name, or its GUID), first, size. */
static bool part_row(struct shell_call *c, struct typed_value *v, const struct fs_disk *d,
                     const struct fs_disk_part *p)
{
	char guid[37];
	const char *type = shlib_gpt_type(p->type);

	if (!type) {
		shlib_guid_text(p->type, guid);
		type = guid;
	}
	if (!shlib_host(c)->make_record(c->arena, v, c->out_type->rec.fields[5].type->list.elem) ||
	    !shlib_str(c, &v->list.items[1], type, strlen(type)))
		return false;
	v->list.items[0].u = p->index;
	v->list.items[2].u = p->first_lba;
	v->list.items[3].u = (p->last_lba - p->first_lba + 1) * d->sector_size;
	return true;
}

SHLIB_CMD files_disks(struct shell_call *c)
{
	static struct fs_disk_part parts[DISK_PARTS];
	struct fs_disk d = {0};
	uint32_t n;
	enum err e = disk_ask(c, &d, parts, &n);
	const struct shlib_host *h = shlib_host(c);

	if (e)
		return e;
	if (!h->make_record(c->arena, c->out, c->out_type))
		return ERR_NOMEM;
	struct typed_value *f = c->out->list.items;
	if (!shlib_str(c, &f[0], d.driver, strnlen(d.driver, sizeof d.driver)) ||
	    !shlib_str(c, &f[1], d.model, strnlen(d.model, sizeof d.model)) ||
	    !h->make_list(c, &f[5], c->out_type->rec.fields[5].type, n))
		return ERR_NOMEM;
	f[2].u = d.sectors;
	f[3].u = d.sector_size;
	f[4].u = d.sectors * d.sector_size;
	for (uint32_t i = 0; i < n; i++)
		if (!part_row(c, &f[5].list.items[i], &d, &parts[i]))
			return ERR_NOMEM;
	return ERR_OK;
}
