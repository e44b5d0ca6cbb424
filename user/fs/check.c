/* The file service's self-checks; see check.h. */
#include <rt/rt.h>
#include <string/mem.h>

#include "check.h"
#include "cksum.h"

/* Replies to the in-process clients: FS_DATA bytes checksummed as they
 * come, the last FS_REPLY kept. */
struct local {
	struct cksum sum;
	bool count_only; /* the bench: bytes counted, not checksummed */
	uint64_t bytes;
	struct fs_reply last;
};

static struct local local;

static enum err send_local(void *ctx, unsigned client, uint16_t type, const void *p, size_t len)
{
	struct local *l = ctx;
	(void)client;
	if (type == FS_DATA) {
		const struct fs_data *d = p;
		l->bytes += d->len;
		if (!l->count_only)
			cksum_add(&l->sum, d->data, d->len);
	} else if (len == sizeof l->last) {
		memcpy(&l->last, p, sizeof l->last);
	}
	return ERR_OK;
}

void check_init(struct fsrv *s, struct fs_vol *vol)
{
	fsrv_init(s, vol, send_local, &local);
}

struct fs_reply *check_ask(struct fsrv *s, unsigned client, uint16_t type, const void *req)
{
	struct urpc_msg m = {.type = type, .len = URPC_PAYLOAD_MAX};
	memcpy(m.payload, req, URPC_PAYLOAD_MAX);
	memset(&local.last, 0, sizeof local.last);
	local.last.err = ERR_IO;
	fsrv_serve(s, client, &m);
	return &local.last;
}

struct fs_reply *check_ask_path(struct fsrv *s, unsigned client, uint16_t type, uint32_t dir,
                                uint32_t arg, const char *path)
{
	struct fs_req_path q = {.dir = dir, .arg = arg};
	mem_strlcpy(q.path, path, sizeof q.path);
	return check_ask(s, client, type, &q);
}

/* Reads the file behind h whole, 64 KiB a request. */
static void read_all(struct fsrv *s, unsigned client, uint32_t h, uint32_t size)
{
	for (uint64_t off = 0; off < size; off += 65536) {
		struct fs_req_io q = {.h = h, .len = 65536, .off = off};
		if (check_ask(s, client, FS_READ, &q)->err != ERR_OK)
			break;
	}
}

uint32_t check_read_sum(struct fsrv *s, unsigned client, uint32_t h, uint32_t size)
{
	cksum_init(&local.sum);
	read_all(s, client, h, size);
	return cksum_end(&local.sum);
}

uint64_t check_read_count(struct fsrv *s, unsigned client, uint32_t h, uint32_t size)
{
	local.count_only = true;
	local.bytes = 0;
	read_all(s, client, h, size);
	local.count_only = false;
	return local.bytes;
}

/* One "CRC SIZE PATH" line; false if it has no path. */
static bool parse_line(const char *line, uint32_t *crc, uint32_t *size, const char **path)
{
	const char *p = line;
	*crc = *size = 0;
	while (*p >= '0' && *p <= '9')
		*crc = *crc * 10 + (uint32_t)(*p++ - '0');
	while (*p == ' ')
		p++;
	while (*p >= '0' && *p <= '9')
		*size = *size * 10 + (uint32_t)(*p++ - '0');
	while (*p == ' ')
		p++;
	*path = p;
	return *p != '\0';
}

unsigned check_sums(struct fsrv *s, uint32_t root, const char *sums, size_t n)
{
	unsigned bad = 0, files = 0;
	for (size_t at = 0; at < n;) {
		char line[160];
		size_t k = 0;
		while (at < n && sums[at] != '\n' && k + 1 < sizeof line)
			line[k++] = sums[at++];
		line[k] = 0;
		at++;
		uint32_t crc, size;
		const char *p;
		if (!parse_line(line, &crc, &size, &p))
			continue;
		struct fs_reply *r = check_ask_path(s, 0, FS_WALK, root, FS_R_READ, p);
		uint32_t h = r->handle,
		         got = r->err == ERR_OK ? check_read_sum(s, 0, h, r->size) : 0;
		int ok = r->err == ERR_OK && r->size == size && got == crc;
		if (!ok)
			rt_printf("fs: %s: %s, size %u, cksum %u (the build says %u %u)\n", p,
			          err_str(r->err), r->size, got, crc, size);
		bad += !ok;
		files++;
		struct fs_req_io c = {.h = h};
		check_ask(s, 0, FS_CLOSE, &c);
	}
	rt_printf("fs: %u files read through the service, %u checksums wrong\n", files, bad);
	return bad + (files == 0);
}

unsigned check_confined(struct fsrv *s, uint32_t other, const char *dir, const char *escape)
{
	uint32_t h;
	unsigned bad = 0;
	if (fsrv_grant(s, 1, dir, FS_R_READ | FS_R_WALK, &h) != ERR_OK)
		return 1;
	bad += check_ask_path(s, 1, FS_WALK, h, FS_R_READ, escape)->err != ERR_PERM;
	bad += check_ask_path(s, 1, FS_CREATE, h, FS_KIND_FILE, "new")->err != ERR_PERM;
	/* handles are numbered per client: a number client 0 holds and
	 * client 1 does not (client 0's root, derived) names nothing for 1 */
	struct fs_req_io d = {.h = other, .off = FS_R_READ};
	uint32_t theirs = check_ask(s, 0, FS_DERIVE, &d)->handle;
	bad += theirs == 0 || theirs == h;
	bad += check_ask_path(s, 1, FS_WALK, theirs, FS_R_READ, "")->err != ERR_INVAL;
	d.h = theirs;
	check_ask(s, 0, FS_CLOSE, &d);
	if (bad)
		rt_printf("fs: a client confined to %s got out (%u checks)\n", dir, bad);
	return bad;
}

unsigned check_writer(struct fsrv *s)
{
	uint32_t root;
	unsigned bad = 0;
	static const char text[] = "written in ring 3";
	if (fsrv_grant(s, 2, "/", FS_R_ALL, &root) != ERR_OK)
		return 1;
	struct fs_reply *r = check_ask_path(s, 2, FS_CREATE, root, FS_KIND_FILE, "guest file.txt");
	uint32_t h = r->handle;
	bad += r->err != ERR_OK;
	struct fs_req_io w = {.h = h, .len = sizeof text - 1, .off = 0};
	memcpy(w.data, text, sizeof text - 1);
	bad += check_ask(s, 2, FS_WRITE, &w)->err != ERR_OK;
	struct cksum want;
	cksum_init(&want);
	cksum_add(&want, text, sizeof text - 1);
	bad += check_read_sum(s, 2, h, sizeof text - 1) != cksum_end(&want);
	check_ask_path(s, 2, FS_RENAME, root, 0, "guest file.txt");
	bad += check_ask_path(s, 2, FS_RENAME, root, 0, "renamed.txt")->err != ERR_OK;
	bad += check_ask_path(s, 2, FS_REMOVE, root, FS_KIND_FILE, "renamed.txt")->err != ERR_OK;
	bad += check_ask_path(s, 2, FS_WALK, root, FS_R_READ, "renamed.txt")->err != ERR_NOENT;
	struct fs_req_io c = {.h = h};
	check_ask(s, 2, FS_CLOSE, &c);
	if (bad)
		rt_printf("fs: the writer's checks failed (%u)\n", bad);
	return bad;
}
