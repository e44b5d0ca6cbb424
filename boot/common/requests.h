/* Finding the kernel's Limine requests in its loaded image (PROTOCOL.md
 * "Base protocol revisions", "Features", "Requests Delimiters").  Pure: it
 * works on the image in loader memory and writes only the base revision
 * tag's third word.
 */
#ifndef BOOT_COMMON_REQUESTS_H
#define BOOT_COMMON_REQUESTS_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>

/* The base revisions this loader implements. */
#define REQ_MAX_BASE_REVISION 2

/* The requests this loader knows, in the order they are answered. */
enum req_kind {
	REQ_BOOTLOADER_INFO,
	REQ_FIRMWARE_TYPE,
	REQ_STACK_SIZE,
	REQ_HHDM,
	REQ_FRAMEBUFFER,
	REQ_PAGING_MODE,
	REQ_SMP,
	REQ_MEMMAP,
	REQ_ENTRY_POINT,
	REQ_KERNEL_FILE,
	REQ_MODULE,
	REQ_RSDP,
	REQ_SMBIOS,
	REQ_EFI_SYSTEM_TABLE,
	REQ_EFI_MEMMAP,
	REQ_BOOT_TIME,
	REQ_KERNEL_ADDRESS,
	REQ_DTB,
	REQ_COUNT
};

struct req_set {
	/* Each request found, as a pointer into the image; NULL if absent. */
	void *req[REQ_COUNT];
	uint64_t offset[REQ_COUNT];    /* its offset in the image */
	uint64_t room[REQ_COUNT];      /* bytes from it to the end of the image */
	uint64_t requested_revision;   /* from the base revision tag; 0 if none */
	uint64_t base_revision;        /* the revision the kernel is booted with */
	int has_tag;                   /* a base revision tag was found */
	int tag_answered;              /* its third word was set to 0 */
	uint64_t scan_start, scan_end; /* the image offsets that were searched */
	size_t unknown;                /* requests with ids this loader does not know */
};

/* The printable name of a request kind ("memmap", "hhdm", ...). */
const char *req_name(enum req_kind k);

/* Scans image[0..size) (8-byte aligned) for requests between the last
 * start marker and the first end marker after it (the whole image when
 * absent), and for the base revision tag there.  A supported requested
 * revision (0..REQ_MAX_BASE_REVISION) is acknowledged by zeroing the tag's
 * third word; a higher one is left as it is and the kernel is booted with
 * REQ_MAX_BASE_REVISION.  Two requests with one id are an error
 * (ERR_EXIST) with why naming the request and both offsets. */
enum err req_scan(void *image, uint64_t size, struct req_set *out, char *why, size_t why_len);

#endif
