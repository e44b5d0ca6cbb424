/* The file service's core; see fsrv.h and fsproto.h. */
#include "fsrv.h"

#include <string/mem.h>

#define READ_CHUNK 32768u /* bytes read from the volume at a time */

void fsrv_init(struct fsrv *s, struct fs_vol *vol, fsrv_send_fn send, void *ctx)
{
	memset(s, 0, sizeof *s);
	s->vol = vol;
	s->send = send;
	s->ctx = ctx;
}

/* Client's handle numbered h, or NULL. */
static struct fsrv_handle *handle_find(struct fsrv *s, unsigned client, uint32_t h)
{
	for (uint32_t i = 1; h && i < FSRV_HANDLES; i++)
		if (s->h[i].used && s->h[i].client == client && s->h[i].number == h)
			return &s->h[i];
	return NULL;
}

/* A new handle for client on node with rights: the lowest number client
 * does not use; 0 when the table is full. */
static uint32_t handle_new(struct fsrv *s, unsigned client, const struct fs_node *node,
                           uint32_t rights)
{
	uint32_t number = 1;

	while (handle_find(s, client, number))
		number++;
	for (uint32_t i = 1; i < FSRV_HANDLES; i++) {
		if (!s->h[i].used) {
			s->h[i] = (struct fsrv_handle){1, client, number, rights, *node};
			return number;
		}
	}
	return 0;
}

/* Client's handle h if it holds every right in need; else NULL and *e
 * says why (INVAL: not its handle, PERM: a right missing). */
static struct fsrv_handle *handle_get(struct fsrv *s, unsigned client, uint32_t h, uint32_t need,
                                      enum err *e)
{
	struct fsrv_handle *f = handle_find(s, client, h);

	if (!f) {
		*e = ERR_INVAL;
		return NULL;
	}
	if ((f->rights & need) != need) {
		*e = ERR_PERM;
		return NULL;
	}
	return f;
}

enum err fsrv_grant(struct fsrv *s, unsigned client, const char *path, uint32_t rights,
                    uint32_t *handle)
{
	struct fs_node root, dir;
	fs_root(s->vol, &root);
	enum err e = fs_walk(s->vol, &root, path, &dir);
	if (e != ERR_OK)
		return e;
	if (!(dir.attr & FAT_ATTR_DIRECTORY))
		return ERR_NOTDIR;
	*handle = handle_new(s, client, &dir, rights & FS_R_ALL);
	return *handle ? ERR_OK : ERR_FULL;
}

/* The reply to a request: err, and a handle's facts when h is not 0. */
static enum err reply(struct fsrv *s, unsigned client, enum err err, uint32_t h)
{
	struct fs_reply r = {.err = (uint16_t)err};
	const struct fsrv_handle *f = h && err == ERR_OK ? handle_find(s, client, h) : NULL;
	if (f) {
		r.handle = h;
		r.attr = f->node.attr;
		r.size = f->node.size;
		r.rights = f->rights;
	}
	return s->send(s->ctx, client, FS_REPLY, &r, sizeof r);
}

/* A path from a request, NUL-terminated. */
static void take_path(const struct fs_req_path *q, char out[FS_PATH_MAX + 1])
{
	memcpy(out, q->path, FS_PATH_MAX);
	out[FS_PATH_MAX] = 0;
}

static enum err walk_or_create(struct fsrv *s, unsigned client, const struct urpc_msg *m)
{
	struct fs_req_path q;
	char path[FS_PATH_MAX + 1];
	struct fs_node node;
	enum err e;
	memcpy(&q, m->payload, sizeof q);
	take_path(&q, path);
	int create = m->type == FS_CREATE;
	struct fsrv_handle *d = handle_get(s, client, q.dir, create ? FS_R_CREATE : FS_R_WALK, &e);
	if (!d)
		return reply(s, client, e, 0);
	uint32_t rights = create ? d->rights : q.arg & d->rights;
	if (!create)
		e = fs_walk(s->vol, &d->node, path, &node);
	else if (q.arg == FS_KIND_DIR)
		e = fs_mkdir(s->vol, &d->node, path, &node);
	else
		e = fs_create(s->vol, &d->node, path, &node);
	if (e != ERR_OK)
		return reply(s, client, e, 0);
	uint32_t h = handle_new(s, client, &node, rights);
	return reply(s, client, h ? ERR_OK : ERR_FULL, h);
}

/* Reads [off, off + len) in chunks of READ_CHUNK bytes (one fs_read each:
 * whole sectors go straight from the device) sent as FS_DATA messages. */
static enum err read(struct fsrv *s, unsigned client, const struct fs_req_io *q)
{
	enum err e;
	struct fsrv_handle *f = handle_get(s, client, q->h, FS_R_READ, &e);
	uint64_t off = q->off;
	uint32_t left = q->len < FS_READ_MAX ? q->len : FS_READ_MAX;
	uint8_t chunk[READ_CHUNK];
	while (f && left) {
		size_t done;
		e = fs_read(s->vol, &f->node, off, chunk, left < READ_CHUNK ? left : READ_CHUNK,
		            &done);
		if (e != ERR_OK || done == 0)
			break;
		for (size_t at = 0; at < done; at += FS_DATA_MAX) {
			struct fs_data d = {0};
			d.len = (uint32_t)(done - at < FS_DATA_MAX ? done - at : FS_DATA_MAX);
			memcpy(d.data, chunk + at, d.len);
			if ((e = s->send(s->ctx, client, FS_DATA, &d, sizeof d)) != ERR_OK)
				return e;
		}
		off += done;
		left -= (uint32_t)done;
	}
	return reply(s, client, e, f && e == ERR_OK ? q->h : 0);
}

static enum err io(struct fsrv *s, unsigned client, const struct urpc_msg *m)
{
	struct fs_req_io q;
	enum err e = ERR_OK;
	memcpy(&q, m->payload, sizeof q);
	if (m->type == FS_READ)
		return read(s, client, &q);
	if (m->type == FS_CLOSE) {
		struct fsrv_handle *f = handle_get(s, client, q.h, 0, &e);
		if (f)
			f->used = 0;
		return reply(s, client, e, 0);
	}
	if (m->type == FS_DERIVE) {
		struct fsrv_handle *f = handle_get(s, client, q.h, 0, &e);
		uint32_t h = f ? handle_new(s, client, &f->node, (uint32_t)q.off & f->rights) : 0;
		return reply(s, client, f ? (h ? ERR_OK : ERR_FULL) : e, h);
	}
	struct fsrv_handle *f = handle_get(s, client, q.h, FS_R_WRITE, &e);
	if (f && m->type == FS_WRITE)
		e = q.len > FS_IO_MAX ? ERR_RANGE
		                      : fs_write(s->vol, &f->node, q.off, q.data, q.len);
	else if (f)
		e = fs_truncate(s->vol, &f->node, q.off);
	return reply(s, client, e, e == ERR_OK ? q.h : 0);
}

static enum err remove_or_rename(struct fsrv *s, unsigned client, const struct urpc_msg *m)
{
	struct fs_req_path q;
	char path[FS_PATH_MAX + 1];
	enum err e;
	memcpy(&q, m->payload, sizeof q);
	take_path(&q, path);
	if (m->type == FS_REMOVE) {
		struct fsrv_handle *d = handle_get(s, client, q.dir, FS_R_REMOVE, &e);
		if (d)
			e = q.arg == FS_KIND_DIR ? fs_rmdir(s->vol, &d->node, path)
			                         : fs_unlink(s->vol, &d->node, path);
		return reply(s, client, e, 0);
	}
	if (!s->rename_pending[client]) { /* the first half: from */
		s->rename_pending[client] = 1;
		s->rename_dir[client] = q.dir;
		memcpy(s->rename_from[client], path, sizeof path);
		return ERR_OK;
	}
	s->rename_pending[client] = 0;
	struct fsrv_handle *from = handle_get(s, client, s->rename_dir[client], FS_R_REMOVE, &e);
	struct fsrv_handle *to = from ? handle_get(s, client, q.dir, FS_R_CREATE, &e) : NULL;
	if (to)
		e = fs_rename(s->vol, &from->node, s->rename_from[client], &to->node, path);
	return reply(s, client, e, 0);
}

static enum err list(struct fsrv *s, unsigned client, const struct urpc_msg *m)
{
	struct fs_req_path q;
	struct fat_dirent ent;
	enum err e;
	memcpy(&q, m->payload, sizeof q);
	struct fsrv_handle *d = handle_get(s, client, q.dir, FS_R_WALK, &e);
	uint32_t cursor = q.arg;
	if (d)
		e = fs_list(s->vol, &d->node, &cursor, &ent, NULL);
	if (e != ERR_OK)
		return reply(s, client, e, 0);
	struct fs_reply r = {.err = ERR_OK, .attr = ent.attr, .size = ent.size, .cursor = cursor};
	mem_strlcpy(r.name, ent.name, sizeof r.name);
	return s->send(s->ctx, client, FS_REPLY, &r, sizeof r);
}

/* FS_DISK: the disk, its partitions, then the reply (their count). */
static enum err disk(struct fsrv *s, unsigned client)
{
	const struct fsrv_disk *d = s->disk;
	uint32_t n = d && d->info.parts < FSRV_PARTS ? d->info.parts : FSRV_PARTS;
	enum err e = d ? s->send(s->ctx, client, FS_DISK_INFO, &d->info, sizeof d->info) : ERR_OK;

	if (!d)
		return reply(s, client, ERR_UNSUPPORTED, 0);
	for (uint32_t i = 0; !e && i < n; i++)
		e = s->send(s->ctx, client, FS_DISK_PART, &d->parts[i], sizeof d->parts[i]);
	if (e)
		return e;
	struct fs_reply r = {.err = ERR_OK, .size = n};
	return s->send(s->ctx, client, FS_REPLY, &r, sizeof r);
}

enum err fsrv_serve(struct fsrv *s, unsigned client, const struct urpc_msg *m)
{
	if (client >= FSRV_CLIENTS)
		return ERR_INVAL;
	if (m->len != URPC_PAYLOAD_MAX)
		return reply(s, client, ERR_RANGE, 0);
	switch (m->type) {
	case FS_WALK:
	case FS_CREATE: return walk_or_create(s, client, m);
	case FS_READ:
	case FS_WRITE:
	case FS_TRUNC:
	case FS_DERIVE:
	case FS_CLOSE: return io(s, client, m);
	case FS_REMOVE:
	case FS_RENAME: return remove_or_rename(s, client, m);
	case FS_LIST: return list(s, client, m);
	case FS_DISK: return disk(s, client);
	default: return reply(s, client, ERR_UNSUPPORTED, 0);
	}
}

enum err fsrv_root(struct fsrv *s, unsigned client)
{
	uint32_t h;
	enum err e = client >= FSRV_CLIENTS ? ERR_INVAL : ERR_OK;

	if (!e && !s->rooted[client])
		e = fsrv_grant(s, client, "/", FS_R_ALL, &h);
	if (!e)
		s->rooted[client] = 1;
	return e;
}

void fsrv_forget(struct fsrv *s, unsigned client)
{
	if (client >= FSRV_CLIENTS)
		return;
	for (uint32_t i = 1; i < FSRV_HANDLES; i++)
		if (s->h[i].used && s->h[i].client == client)
			s->h[i].used = 0;
	s->rename_pending[client] = 0;
	s->rooted[client] = 0;
}

enum err fsrv_take(struct fsrv *s, const struct urpc_msg *m)
{
	struct fs_client t;

	if (m->type != FS_CLIENT && m->type != FS_FORGET)
		return fsrv_serve(s, s->current, m);
	if (m->len != sizeof t)
		return ERR_INVAL;
	memcpy(&t, m->payload, sizeof t);
	if (t.tag >= FSRV_CLIENTS)
		return ERR_INVAL;
	if (m->type == FS_FORGET) {
		fsrv_forget(s, t.tag);
		return ERR_OK;
	}
	s->current = t.tag;
	return fsrv_root(s, t.tag);
}
