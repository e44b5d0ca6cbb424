/* The file service on a disk; see disk.h. */
#include <fat/gpt.h>
#include <fmt/fmt.h>
#include <rt/heap.h>
#include <string/mem.h>

#include "check.h"
#include "cksum.h"
#include "disk.h"

#define CLIENT 3 /* the tests' client number (check.c uses 0..2) */
#define CHUNK  FS_IO_MAX

#define VIRTIO_VENDOR 0x1af4
#define AHCI_CLASS    0x010601u

enum err disk_find(const struct rt_service *pci, const char *want, struct rt_pci_device *d,
                   const char **driver)
{
	static const uint16_t virtio_blk[] = {0x1042, 0x1001}; /* virtio 1.1 §4.1.2 */
	bool any = strcmp(want, "auto") == 0;
	enum err e = ERR_NOENT;

	for (unsigned i = 0; i < 2 && e == ERR_NOENT && (any || !strcmp(want, "vblk")); i++)
		e = rt_pci_open(pci, VIRTIO_VENDOR, virtio_blk[i], 0, d);
	*driver = "vblk";
	if (e == ERR_NOENT && (any || !strcmp(want, "ahci"))) {
		e = rt_pci_open_class(pci, AHCI_CLASS, 0, d);
		*driver = "ahci";
	}
	return e;
}

enum err disk_open(struct blkc *b, const struct rt_pci_device *d, const char *driver,
                   const char *const *argv, unsigned argc, struct fs_vol *vol)
{
	struct gpt_partition part;
	void *scratch = malloc(4096 + GPT_ARRAY_BYTES);
	enum err e = scratch ? blkc_start(b, driver, d->cnode, argv, argc) : ERR_NOMEM;

	if (e) {
		rt_printf("fs: block driver %s for %02x:%02x.%u: %s\n", driver, d->a.bus, d->a.dev,
		          d->a.fn, err_str(e));
		return e;
	}
	e = gpt_find(&b->dev, &gpt_type_esp, scratch, &part, NULL);
	free(scratch);
	if (e) {
		rt_printf("fs: %s: no EFI system partition: %s\n", b->model, err_str(e));
		return e;
	}
	memset(vol, 0, sizeof *vol);
	e = fs_mount(vol, &b->dev, part.first_lba);
	if (e) {
		rt_printf("fs: %s: partition %u: %s: %s\n", b->model, part.index, err_str(e),
		          fs_msg(vol));
		return e;
	}
	rt_printf("fs: %s: EFI system partition %u (sectors %llu..%llu) mounted\n", b->model,
	          part.index, (unsigned long long)part.first_lba,
	          (unsigned long long)part.last_lba);
	return ERR_OK;
}

/* Writes data[0..n) to handle h in FS_WRITE-sized pieces; the failures. */
static unsigned write_all(struct fsrv *s, uint32_t h, const char *data, size_t n)
{
	for (size_t at = 0; at < n; at += CHUNK) {
		struct fs_req_io w = {.h = h, .off = at};
		w.len = (uint32_t)(n - at < CHUNK ? n - at : CHUNK);
		memcpy(w.data, data + at, w.len);
		struct fs_reply *r = check_ask(s, CLIENT, FS_WRITE, &w);
		if (r->err != ERR_OK) {
			rt_printf("fs: write at %zu: %s\n", at, err_str(r->err));
			return 1;
		}
	}
	return 0;
}

/* The directory name below root (made if missing): its handle, or 0. */
static uint32_t dir_handle(struct fsrv *s, uint32_t root, const char *name)
{
	struct fs_reply *r = check_ask_path(s, CLIENT, FS_CREATE, root, FS_KIND_DIR, name);
	if (r->err == ERR_EXIST)
		r = check_ask_path(s, CLIENT, FS_WALK, root, FS_R_ALL, name);
	return r->err == ERR_OK ? r->handle : 0;
}

static void close_handle(struct fsrv *s, uint32_t h)
{
	struct fs_req_io c = {.h = h};
	check_ask(s, CLIENT, FS_CLOSE, &c);
}

unsigned disk_write_guest(struct fsrv *s)
{
	size_t n = (size_t)GUEST_LINES * GUEST_LINE;
	char *text = malloc(n + 1);
	uint32_t root, dir, h;
	unsigned bad = 0;

	if (!text || fsrv_grant(s, CLIENT, "/", FS_R_ALL, &root) ||
	    !(dir = dir_handle(s, root, GUEST_DIR)))
		return 1;
	for (unsigned i = 0; i < GUEST_LINES; i++)
		fmt_snprintf(text + (size_t)i * GUEST_LINE, GUEST_LINE + 1,
		             "tessera guest line %05u\n", i);
	check_ask_path(s, CLIENT, FS_REMOVE, dir, FS_KIND_FILE, GUEST_FILE);
	struct fs_reply *r = check_ask_path(s, CLIENT, FS_CREATE, dir, FS_KIND_FILE, GUEST_FILE);
	h = r->handle;
	if (r->err != ERR_OK) {
		rt_printf("fs: create %s/%s: %s\n", GUEST_DIR, GUEST_FILE, err_str(r->err));
		return 1;
	}
	bad += write_all(s, h, text, n);
	struct cksum want;
	cksum_init(&want);
	cksum_add(&want, text, n);
	uint32_t crc = cksum_end(&want), got = check_read_sum(s, CLIENT, h, (uint32_t)n);
	bad += got != crc;
	rt_printf("fs: wrote %s/%s: %zu bytes in %zu writes, read back: cksum %u (%s)\n", GUEST_DIR,
	          GUEST_FILE, n, (n + CHUNK - 1) / CHUNK, got, got == crc ? "the same" : "WRONG");
	close_handle(s, h);
	close_handle(s, dir);
	close_handle(s, root);
	free(text);
	return bad;
}

/* Round r's bytes (disk.h) into out; their number. */
static size_t round_text(unsigned r, char *out, size_t max)
{
	size_t len = 100 + (size_t)r * 37 % 1500, at = 0;
	char word[16];
	size_t w = (size_t)fmt_snprintf(word, sizeof word, "round %u ", r);

	while (at < len && at < max) {
		out[at] = word[at % w];
		at++;
	}
	return at;
}

/* One round of the stress (disk.h); the failures. */
static unsigned stress_round(struct fsrv *s, uint32_t dir, unsigned r, char *text)
{
	char tmp[24], name[24], old[24];
	size_t n = round_text(r, text, 1600);
	unsigned bad = 0;

	fmt_snprintf(tmp, sizeof tmp, "s%u.tmp", r);
	fmt_snprintf(name, sizeof name, "round %u.txt", r);
	/* what an earlier run on this disk left */
	check_ask_path(s, CLIENT, FS_REMOVE, dir, FS_KIND_FILE, tmp);
	check_ask_path(s, CLIENT, FS_REMOVE, dir, FS_KIND_FILE, name);
	struct fs_reply *c = check_ask_path(s, CLIENT, FS_CREATE, dir, FS_KIND_FILE, tmp);
	uint32_t h = c->handle;
	if (c->err != ERR_OK)
		return 1;
	bad += write_all(s, h, text, n);
	if (r % 7 == 3) {
		struct fs_req_io t = {.h = h, .off = n / 2};
		bad += check_ask(s, CLIENT, FS_TRUNC, &t)->err != ERR_OK;
	}
	close_handle(s, h);
	check_ask_path(s, CLIENT, FS_RENAME, dir, 0, tmp);
	bad += check_ask_path(s, CLIENT, FS_RENAME, dir, 0, name)->err != ERR_OK;
	if (r >= 2) {
		fmt_snprintf(old, sizeof old, "round %u.txt", r - 2);
		bad += check_ask_path(s, CLIENT, FS_REMOVE, dir, FS_KIND_FILE, old)->err != ERR_OK;
	}
	if (r % 5 == 4) {
		fmt_snprintf(old, sizeof old, "d%u", r);
		c = check_ask_path(s, CLIENT, FS_CREATE, dir, FS_KIND_DIR, old);
		bad += c->err != ERR_OK;
		close_handle(s, c->handle);
		bad += check_ask_path(s, CLIENT, FS_REMOVE, dir, FS_KIND_DIR, old)->err != ERR_OK;
	}
	return bad;
}

unsigned disk_stress(struct fsrv *s, unsigned rounds)
{
	char *text = malloc(1600);
	uint32_t root, dir;
	unsigned bad = 0, r;

	if (!text || fsrv_grant(s, CLIENT, "/", FS_R_ALL, &root) ||
	    !(dir = dir_handle(s, root, "stress")))
		return 1;
	rt_printf("fs: stress: start (%u rounds)\n", rounds);
	for (r = 0; r < rounds && !bad; r++)
		bad += stress_round(s, dir, r, text);
	if (bad)
		rt_printf("fs: stress: round %u failed: %s\n", r - 1, fs_msg(s->vol));
	else
		rt_printf("fs: stress: %u rounds done\n", rounds);
	close_handle(s, dir);
	close_handle(s, root);
	free(text);
	return bad;
}
