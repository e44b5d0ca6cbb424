/* Limine request scanning; see requests.h. */
#include "requests.h"

#include <fmt/fmt.h>
#include <string/mem.h>
#include <tessera/limine.h>

static const struct {
	uint64_t id[4];
	const char *name;
} known[REQ_COUNT] = {
        [REQ_BOOTLOADER_INFO] = {LIMINE_ID_BOOTLOADER_INFO, "bootloader info"},
        [REQ_FIRMWARE_TYPE] = {LIMINE_ID_FIRMWARE_TYPE, "firmware type"},
        [REQ_STACK_SIZE] = {LIMINE_ID_STACK_SIZE, "stack size"},
        [REQ_HHDM] = {LIMINE_ID_HHDM, "hhdm"},
        [REQ_FRAMEBUFFER] = {LIMINE_ID_FRAMEBUFFER, "framebuffer"},
        [REQ_PAGING_MODE] = {LIMINE_ID_PAGING_MODE, "paging mode"},
        [REQ_SMP] = {LIMINE_ID_SMP, "smp"},
        [REQ_MEMMAP] = {LIMINE_ID_MEMMAP, "memmap"},
        [REQ_ENTRY_POINT] = {LIMINE_ID_ENTRY_POINT, "entry point"},
        [REQ_KERNEL_FILE] = {LIMINE_ID_KERNEL_FILE, "kernel file"},
        [REQ_MODULE] = {LIMINE_ID_MODULE, "module"},
        [REQ_RSDP] = {LIMINE_ID_RSDP, "rsdp"},
        [REQ_SMBIOS] = {LIMINE_ID_SMBIOS, "smbios"},
        [REQ_EFI_SYSTEM_TABLE] = {LIMINE_ID_EFI_SYSTEM_TABLE, "efi system table"},
        [REQ_EFI_MEMMAP] = {LIMINE_ID_EFI_MEMMAP, "efi memmap"},
        [REQ_BOOT_TIME] = {LIMINE_ID_BOOT_TIME, "boot time"},
        [REQ_KERNEL_ADDRESS] = {LIMINE_ID_KERNEL_ADDRESS, "kernel address"},
        [REQ_DTB] = {LIMINE_ID_DTB, "dtb"},
};

const char *req_name(enum req_kind k)
{
	return (unsigned)k < REQ_COUNT ? known[k].name : "?";
}

static int match(const uint64_t *w, uint64_t avail, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                 unsigned words)
{
	if (avail < words)
		return 0;
	return w[0] == a && w[1] == b && (words < 3 || w[2] == c) && (words < 4 || w[3] == d);
}

/* Narrows [start, end) (in words) to the delimited area: after the last
 * start marker, before the first end marker that follows it. */
static void delimit(const uint64_t *w, uint64_t n, uint64_t *start, uint64_t *end)
{
	*start = 0;
	*end = n;
	for (uint64_t i = 0; i < n; i++)
		if (match(w + i, n - i, LIMINE_REQUESTS_START0, LIMINE_REQUESTS_START1,
		          LIMINE_REQUESTS_START2, LIMINE_REQUESTS_START3, 4))
			*start = i + 4;
	for (uint64_t i = *start; i < n; i++) {
		if (match(w + i, n - i, LIMINE_REQUESTS_END0, LIMINE_REQUESTS_END1, 0, 0, 2)) {
			*end = i;
			break;
		}
	}
}

/* Records the base revision tag at w and acknowledges it if supported. */
static void base_revision(uint64_t *w, struct req_set *out)
{
	out->has_tag = 1;
	out->requested_revision = w[2];
	if (w[2] <= REQ_MAX_BASE_REVISION) {
		out->base_revision = w[2];
		w[2] = 0;
		out->tag_answered = 1;
	} else {
		out->base_revision = REQ_MAX_BASE_REVISION;
	}
}

/* Files the request whose id starts at w[i] (common magic matched). */
static enum err file_request(uint64_t *w, uint64_t i, uint64_t avail, uint64_t n,
                             struct req_set *out, char *why, size_t len)
{
	for (int k = 0; k < REQ_COUNT; k++) {
		const uint64_t *id = known[k].id;
		if (!match(w + i, avail, id[0], id[1], id[2], id[3], 4))
			continue;
		if (avail < 6) /* id, revision, response */
			break;
		if (out->req[k]) {
			fmt_snprintf(why, len,
			             "two %s requests, at image offsets 0x%llx and 0x%llx",
			             known[k].name, (unsigned long long)out->offset[k],
			             (unsigned long long)(i * 8));
			return ERR_EXIST;
		}
		out->req[k] = w + i;
		out->offset[k] = i * 8;
		out->room[k] = (n - i) * 8;
		return ERR_OK;
	}
	out->unknown++;
	return ERR_OK;
}

enum err req_scan(void *image, uint64_t size, struct req_set *out, char *why, size_t why_len)
{
	uint64_t *w = image, n = size / 8, start, end;

	memset(out, 0, sizeof(*out));
	delimit(w, n, &start, &end);
	out->scan_start = start * 8;
	out->scan_end = end * 8;
	for (uint64_t i = start; i < end; i++) {
		if (!out->has_tag &&
		    match(w + i, end - i, LIMINE_BASE_REVISION_MAGIC0, LIMINE_BASE_REVISION_MAGIC1,
		          0, 0, 2) &&
		    end - i >= 3) {
			base_revision(w + i, out);
			i += 2;
			continue;
		}
		if (!match(w + i, end - i, LIMINE_MAGIC0, LIMINE_MAGIC1, 0, 0, 2))
			continue;
		enum err e = file_request(w, i, end - i, n, out, why, why_len);
		if (e)
			return e;
		i += 3;
	}
	return ERR_OK;
}
