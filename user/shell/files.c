/* The file commands (ls, cat, write, mkdir, rm) over the file service's
 * protocol (user/fs/fsproto.h), kept in this one module.  The shell holds
 * no channel to the file service: it sends the protocol's requests on its
 * channel to init, which passes them to the file service it started and
 * its answers back (init answers ERR_UNSUPPORTED itself while it has
 * none).  Paths are relative to the root handle (1) the shell was
 * granted. */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "../fs/fsproto.h"
#include "sh.h"

#define ROOT 1u

static const struct typed_type t_path = {.kind = TYPED_PATH, .str = {FS_PATH_MAX - 1}};
static const struct typed_type t_text = {.kind = TYPED_STRING, .str = {4096}};
static const struct typed_type t_fname = {.kind = TYPED_STRING, .str = {FS_REPLY_NAME}};
static const struct typed_type t_size = {.kind = TYPED_SIZE, .u = {0, UINT32_MAX}};
static const struct typed_type t_bool = {.kind = TYPED_BOOL};

static const struct typed_field ls_row_f[] = {{"name", "", &t_fname, NULL},
                                              {"dir", "a directory", &t_bool, NULL},
                                              {"size", "bytes", &t_size, NULL}};
static const struct typed_type ls_row = {.kind = TYPED_RECORD, .rec = {ls_row_f, 3}};
static const struct typed_type ls_table = {.kind = TYPED_LIST, .list = {&ls_row, 4096}};

/* One request; its FS_REPLY into *r (FS_DATA before it to data, max). */
static enum err ask(struct shell_call *c, uint16_t type, const void *q, struct fs_reply *r,
                    char *data, size_t max, size_t *got)
{
	struct urpc_msg m;
	enum err e = con_ask(type, q, URPC_PAYLOAD_MAX);

	while (!e && !(e = con_answer(&m))) {
		if (m.type == FS_DATA && m.len == sizeof(struct fs_data) && data) {
			struct fs_data d;
			memcpy(&d, m.payload, sizeof d);
			for (uint32_t i = 0; i < d.len && i < FS_DATA_MAX && *got < max; i++)
				data[(*got)++] = (char)d.data[i];
		} else if (m.type == FS_REPLY && m.len == sizeof *r) {
			memcpy(r, m.payload, sizeof *r);
			if (r->err == ERR_UNSUPPORTED)
				return shell_call_fail(c, "no file service is running");
			return r->err ? shell_call_fail(c, "%s", err_str((enum err)r->err))
			              : ERR_OK;
		} else if (m.type == INIT_DONE) {
			return shell_call_fail(c, "init passes no file requests on");
		}
	}
	return e == ERR_INVAL ? shell_call_fail(c, "cancelled (Ctrl-C)")
	                      : shell_call_fail(c, "init cannot be asked: %s", err_str(e));
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

static enum err ls(struct shell_call *c)
{
	static struct fs_reply rows[512];
	struct fs_reply r;
	uint32_t h, n = 0;
	enum err e = walk(c, &c->args->list.items[0], FS_R_WALK, &h, &r);

	for (uint32_t cursor = 0; !e && n < 512;) {
		struct fs_req_path q = {.dir = h, .arg = cursor};
		struct urpc_msg m;
		if ((e = con_ask(FS_LIST, &q, sizeof q)) || (e = con_answer(&m)))
			break;
		memcpy(&rows[n], m.payload, sizeof rows[n]);
		if (m.type != FS_REPLY || rows[n].err == ERR_NOENT)
			break; /* the end of the directory */
		if (rows[n].err) {
			e = shell_call_fail(c, "%s",
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
	if (!shell_make_list(c, c->out, &ls_table, n))
		return ERR_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct typed_value *v = &c->out->list.items[i];
		char *name = typed_arena_alloc(c->arena, FS_REPLY_NAME + 1);
		if (!name || !shell_make_record(c->arena, v, &ls_row))
			return ERR_NOMEM;
		mem_strlcpy(name, rows[i].name, FS_REPLY_NAME + 1);
		v->list.items[0].str.s = name;
		v->list.items[0].str.len = (uint32_t)strlen(name);
		v->list.items[1].b = rows[i].attr & 0x10; /* FAT_ATTR_DIR */
		v->list.items[2].u = rows[i].size;
	}
	return ERR_OK;
}

static enum err cat(struct shell_call *c)
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
	c->out->str.s = typed_arena_alloc(c->arena, got + 1);
	if (!c->out->str.s)
		return ERR_NOMEM;
	memcpy((char *)c->out->str.s, buf, got);
	((char *)c->out->str.s)[got] = 0;
	c->out->str.len = (uint32_t)got;
	return ERR_OK;
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
	char *head = typed_arena_alloc(c->arena, p->str.len + 1);
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

static enum err write(struct shell_call *c)
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

static enum err mkdir(struct shell_call *c)
{
	uint32_t h;
	enum err e = make(c, FS_KIND_DIR, &h);

	if (!e)
		close_handle(c, h);
	return e;
}

static enum err rm(struct shell_call *c)
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

static const struct typed_value v_root = {.type = &t_path, .str = {"/", 1}};
static const struct typed_value v_false = {.type = &t_bool, .b = false};
static const struct typed_field ls_f[] = {{"path", "a directory", &t_path, &v_root}};
static const struct typed_type ls_p = {.kind = TYPED_RECORD, .rec = {ls_f, 1}};
static const struct typed_field path_f[] = {{"path", "the file", &t_path, NULL}};
static const struct typed_type path_p = {.kind = TYPED_RECORD, .rec = {path_f, 1}};
static const struct typed_field write_f[] = {{"path", "the file (made if need be)", &t_path, NULL},
                                             {"text", "its new contents", &t_text, NULL}};
static const struct typed_type write_p = {.kind = TYPED_RECORD, .rec = {write_f, 2}};
static const struct typed_field rm_f[] = {{"path", "what to remove", &t_path, NULL},
                                          {"dir", "it is an (empty) directory", &t_bool, &v_false}};
static const struct typed_type rm_p = {.kind = TYPED_RECORD, .rec = {rm_f, 2}};

static const struct shell_sig sigs[] = {
        {"ls", "the entries of a directory", &ls_p, NULL, SHELL_IO_NONE, SHELL_IO_TYPE, NULL,
         &ls_table, ls, NULL},
        {"cat", "a file's contents (its first 4 KiB)", &path_p, NULL, SHELL_IO_NONE, SHELL_IO_TYPE,
         NULL, &t_text, cat, NULL},
        {"write", "replace a file's contents", &write_p, NULL, SHELL_IO_NONE, SHELL_IO_NONE, NULL,
         NULL, write, NULL},
        {"mkdir", "make a directory", &path_p, NULL, SHELL_IO_NONE, SHELL_IO_NONE, NULL, NULL,
         mkdir, NULL},
        {"rm", "remove a file or an empty directory", &rm_p, NULL, SHELL_IO_NONE, SHELL_IO_NONE,
         NULL, NULL, rm, NULL},
};

const struct shell_cmds files_cmds = {sigs, sizeof sigs / sizeof sigs[0], &shell_std_cmds};
