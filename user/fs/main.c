/* fs: the file service (user/fs/README.md).  Until a disk driver serves
 * it, its volume is the boot module "fsimage" (a FAT32 image in the
 * build's sparse form) on a RAM block device.  With the module "fssums"
 * (the build's `cksum` of every file put on the image) it first checks
 * itself as a client would: every file listed is walked to and read
 * through the protocol with a read-only handle on the root, and its
 * checksum compared; a client confined to one directory cannot leave it
 * or use another's handles; a writer creates, writes, reads back, renames
 * and removes.  Then, if it was given a channel, it serves it.  Exit code:
 * the number of failed checks.
 */
#include <rt/chan.h>
#include <rt/heap.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <string/mem.h>

#include "cksum.h"
#include "fsrv.h"
#include "ramdisk.h"

#define LOCAL_QUEUE 8

/* Replies to the in-process clients of the self-check: FS_DATA bytes
 * checksummed as they come, the last FS_REPLY kept. */
struct local {
	struct cksum sum;
	struct fs_reply last;
};

static struct local local;
static struct rt_chan chan;

static enum err send_local(void *ctx, unsigned client, uint16_t type, const void *p, size_t len)
{
	struct local *l = ctx;
	(void)client;
	if (type == FS_DATA) {
		const struct fs_data *d = p;
		cksum_add(&l->sum, d->data, d->len);
	} else if (len == sizeof l->last) {
		memcpy(&l->last, p, sizeof l->last);
	}
	return ERR_OK;
}

static enum err send_chan(void *ctx, unsigned client, uint16_t type, const void *p, size_t len)
{
	(void)ctx;
	(void)client;
	return rt_chan_send(&chan, type, p, len);
}

/* One request from client, answered into local.last. */
static struct fs_reply *ask(struct fsrv *s, unsigned client, uint16_t type, const void *req)
{
	struct urpc_msg m = {.type = type, .len = URPC_PAYLOAD_MAX};
	memcpy(m.payload, req, URPC_PAYLOAD_MAX);
	memset(&local.last, 0, sizeof local.last);
	local.last.err = ERR_IO;
	fsrv_serve(s, client, &m);
	return &local.last;
}

static struct fs_reply *ask_path(struct fsrv *s, unsigned client, uint16_t type, uint32_t dir,
                                 uint32_t arg, const char *path)
{
	struct fs_req_path q = {.dir = dir, .arg = arg};
	mem_strlcpy(q.path, path, sizeof q.path);
	return ask(s, client, type, &q);
}

/* Reads file h whole; its checksum. */
static uint32_t read_sum(struct fsrv *s, unsigned client, uint32_t h, uint32_t size)
{
	cksum_init(&local.sum);
	for (uint64_t off = 0; off < size; off += 65536) {
		struct fs_req_io q = {.h = h, .len = 65536, .off = off};
		if (ask(s, client, FS_READ, &q)->err != ERR_OK)
			break;
	}
	return cksum_end(&local.sum);
}

/* Checks every "CRC SIZE PATH" line of sums; returns the failures. */
static unsigned check_sums(struct fsrv *s, uint32_t root, const char *sums, size_t n)
{
	unsigned bad = 0, files = 0;
	for (size_t at = 0; at < n;) {
		char line[128];
		size_t k = 0;
		while (at < n && sums[at] != '\n' && k + 1 < sizeof line)
			line[k++] = sums[at++];
		line[k] = 0;
		at++;
		uint32_t crc = 0, size = 0;
		const char *p = line;
		while (*p >= '0' && *p <= '9')
			crc = crc * 10 + (uint32_t)(*p++ - '0');
		while (*p == ' ')
			p++;
		while (*p >= '0' && *p <= '9')
			size = size * 10 + (uint32_t)(*p++ - '0');
		while (*p == ' ')
			p++;
		if (!*p)
			continue;
		struct fs_reply *r = ask_path(s, 0, FS_WALK, root, FS_R_READ, p);
		uint32_t h = r->handle, got = r->err == ERR_OK ? read_sum(s, 0, h, r->size) : 0;
		int ok = r->err == ERR_OK && r->size == size && got == crc;
		if (!ok)
			rt_printf("fs: %s: %s, size %u, cksum %u (the build says %u %u)\n", p,
			          err_str(r->err), r->size, got, crc, size);
		bad += !ok;
		files++;
		struct fs_req_io c = {.h = h};
		ask(s, 0, FS_CLOSE, &c);
	}
	rt_printf("fs: %u files read through the service, %u checksums wrong\n", files, bad);
	return bad + (files == 0);
}

/* A client confined to one directory cannot leave it, write with read
 * rights, or use another client's handle. */
static unsigned check_confined(struct fsrv *s, uint32_t other)
{
	uint32_t h;
	unsigned bad = 0;
	if (fsrv_grant(s, 1, "/docs", FS_R_READ | FS_R_WALK, &h) != ERR_OK)
		return 1;
	bad += ask_path(s, 1, FS_WALK, h, FS_R_READ, "../README.TXT")->err != ERR_PERM;
	bad += ask_path(s, 1, FS_CREATE, h, FS_KIND_FILE, "new")->err != ERR_PERM;
	bad += ask_path(s, 1, FS_WALK, other, FS_R_READ, "docs")->err != ERR_INVAL;
	if (bad)
		rt_printf("fs: a confined client got out (%u checks)\n", bad);
	return bad;
}

/* A writer: create, write, read back, rename, remove. */
static unsigned check_writer(struct fsrv *s)
{
	uint32_t root;
	unsigned bad = 0;
	static const char text[] = "written in ring 3";
	if (fsrv_grant(s, 2, "/", FS_R_ALL, &root) != ERR_OK)
		return 1;
	struct fs_reply *r = ask_path(s, 2, FS_CREATE, root, FS_KIND_FILE, "guest file.txt");
	uint32_t h = r->handle;
	bad += r->err != ERR_OK;
	struct fs_req_io w = {.h = h, .len = sizeof text - 1, .off = 0};
	memcpy(w.data, text, sizeof text - 1);
	bad += ask(s, 2, FS_WRITE, &w)->err != ERR_OK;
	struct cksum want;
	cksum_init(&want);
	cksum_add(&want, text, sizeof text - 1);
	bad += read_sum(s, 2, h, sizeof text - 1) != cksum_end(&want);
	ask_path(s, 2, FS_RENAME, root, 0, "guest file.txt");
	bad += ask_path(s, 2, FS_RENAME, root, 0, "renamed.txt")->err != ERR_OK;
	bad += ask_path(s, 2, FS_REMOVE, root, FS_KIND_FILE, "renamed.txt")->err != ERR_OK;
	bad += ask_path(s, 2, FS_WALK, root, FS_R_READ, "renamed.txt")->err != ERR_NOENT;
	if (bad)
		rt_printf("fs: the writer's checks failed (%u)\n", bad);
	return bad;
}

/* Serves the channel given, one client, until the other side goes away. */
static void serve(struct fsrv *s)
{
	struct rt_chan *one[1] = {&chan};
	struct rt_capref self = rt_root_ref(SLOT_NOTIFY);
	for (;;) {
		struct urpc_msg m;
		enum err e = rt_chan_recv(&chan, &m);
		if (e == ERR_EMPTY) {
			rt_chan_wait(self, one, 1);
			continue;
		}
		if (e != ERR_OK || fsrv_serve(s, 0, &m) != ERR_OK)
			return;
	}
}

int main(void)
{
	const struct bootinfo_module *img = rt_module("fsimage"), *sums = rt_module("fssums");
	struct rt_mapping mi, ms;
	struct ramdisk *rd = malloc(sizeof *rd);
	struct fs_vol *vol = malloc(sizeof *vol);
	struct fsrv *s = malloc(sizeof *s);
	if (!img || !rd || !vol || !s || rt_module_map(img, &mi) != ERR_OK) {
		rt_printf("fs: no volume (the module fsimage)\n");
		return 1;
	}
	memset(vol, 0, sizeof *vol);
	enum err e = ramdisk_open(rd, mi.data, mi.size, malloc);
	if (e == ERR_OK)
		e = fs_mount(vol, &rd->dev, 0);
	if (e != ERR_OK) {
		rt_printf("fs: %s: %s\n", err_str(e), fs_msg(vol));
		return 1;
	}
	unsigned bad = 0;
	uint32_t root;
	if (sums && rt_module_map(sums, &ms) == ERR_OK) {
		fsrv_init(s, vol, send_local, &local);
		bad += fsrv_grant(s, 0, "/", FS_R_READ | FS_R_WALK, &root) != ERR_OK;
		bad += check_sums(s, root, ms.data, ms.size);
		bad += check_confined(s, root);
		bad += check_writer(s);
		rt_printf("fs: self-check %s\n", bad ? "failed" : "passed");
	}
	if (rt_chan_given(&chan) == ERR_OK) {
		fsrv_init(s, vol, send_chan, NULL);
		if (fsrv_grant(s, 0, "/", FS_R_ALL, &root) == ERR_OK)
			serve(s);
	}
	return bad > 125 ? 125 : (int)bad;
}
