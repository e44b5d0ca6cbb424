/* GPT writer: protective MBR, primary and backup headers and partition
 * arrays with their CRCs, over a caller-provided disk image in memory.
 * See gpt.h.  Specification: UEFI 2.10, 5.2.3 and 5.3.
 */
#include <string/mem.h>

#include "gpt.h"
#include "gpt_disk.h"

/* Sectors the 16 KiB partition array occupies. */
static uint64_t array_sectors(const struct gpt_layout *l)
{
	return (GPT_ARRAY_BYTES + l->sector_size - 1) / l->sector_size;
}

enum err gpt_usable_range(const struct gpt_layout *l, uint64_t *first, uint64_t *last)
{
	if (l->sector_size < 512 || l->sector_size > 4096 ||
	    (l->sector_size & (l->sector_size - 1)))
		return ERR_INVAL;
	uint64_t arr = array_sectors(l), lo = 2 + arr;
	uint64_t f = l->first_usable_lba ? l->first_usable_lba : lo;
	if (f < lo || l->disk_sectors < f + arr + 2)
		return ERR_RANGE;
	*first = f;
	*last = l->disk_sectors - 2 - arr;
	return ERR_OK;
}

/* Encodes lba as a legacy CHS triple (255 heads, 63 sectors per track),
 * or 0xFFFFFF when it is out of CHS reach (UEFI 5.2.3, table 5-5). */
static void put_chs(uint8_t chs[3], uint64_t lba)
{
	uint64_t cyl = lba / (255 * 63);
	if (cyl > 1023) {
		chs[0] = chs[1] = chs[2] = 0xff;
		return;
	}
	uint32_t head = (uint32_t)(lba / 63 % 255), sec = (uint32_t)(lba % 63 + 1);
	chs[0] = (uint8_t)head;
	chs[1] = (uint8_t)(sec | ((cyl >> 2) & 0xc0));
	chs[2] = (uint8_t)(cyl & 0xff);
}

/* Fills the protective MBR's table and signature, keeping the boot code. */
static void write_pmbr(uint8_t *sector0, uint64_t disk_sectors)
{
	struct mbr_sector mbr;
	memcpy(&mbr, sector0, sizeof mbr);
	memset(&mbr.disk_signature, 0, sizeof mbr - offsetof(struct mbr_sector, disk_signature));
	struct mbr_partition_record *r = &mbr.part[0];
	put_chs(r->start_chs, 1);
	r->os_type = MBR_TYPE_GPT_PMBR;
	put_chs(r->end_chs, disk_sectors - 1);
	r->start_lba = 1;
	r->size_lba = disk_sectors - 1 > 0xffffffffu ? 0xffffffffu : (uint32_t)(disk_sectors - 1);
	mbr.signature = MBR_SIGNATURE;
	memcpy(sector0, &mbr, sizeof mbr);
}

/* Checks each partition against the usable range and the others. */
static enum err check_parts(const struct gpt_partition *parts, uint32_t count, uint64_t first,
                            uint64_t last)
{
	if (count > GPT_ENTRY_COUNT)
		return ERR_RANGE;
	for (uint32_t i = 0; i < count; i++) {
		const struct gpt_partition *p = &parts[i];
		if (p->first_lba > p->last_lba || p->first_lba < first || p->last_lba > last)
			return ERR_RANGE;
		for (uint32_t j = 0; j < i; j++)
			if (p->first_lba <= parts[j].last_lba && parts[j].first_lba <= p->last_lba)
				return ERR_OVERLAP;
	}
	return ERR_OK;
}

/* Fills the partition array at arr (GPT_ARRAY_BYTES, zeroed here). */
static enum err fill_array(uint8_t *arr, const struct gpt_partition *parts,
                           const char *const *names, uint32_t count)
{
	memset(arr, 0, GPT_ARRAY_BYTES);
	for (uint32_t i = 0; i < count; i++) {
		struct gpt_entry ent;
		memset(&ent, 0, sizeof ent);
		ent.type = parts[i].type;
		ent.guid = parts[i].guid;
		ent.first_lba = parts[i].first_lba;
		ent.last_lba = parts[i].last_lba;
		const char *name = names ? names[i] : NULL;
		for (size_t k = 0; name && name[k]; k++) {
			if (k >= 36 || (uint8_t)name[k] >= 0x80)
				return ERR_NAME;
			ent.name[k] = (uint8_t)name[k];
		}
		memcpy(arr + (size_t)i * GPT_ENTRY_SIZE, &ent, sizeof ent);
	}
	return ERR_OK;
}

/* Writes one header into its (zeroed) sector. */
static void write_header(uint8_t *sector, uint32_t sector_size, struct gpt_header *h)
{
	memset(sector, 0, sector_size);
	h->header_crc32 = 0;
	h->header_crc32 = gpt_crc32(h, sizeof *h);
	memcpy(sector, h, sizeof *h);
}

enum err gpt_write(void *disk, const struct gpt_layout *l, const struct gpt_partition *parts,
                   const char *const *names, uint32_t count)
{
	uint64_t first, last, ss = l->sector_size, arr = array_sectors(l);
	enum err e = gpt_usable_range(l, &first, &last);
	if (e == ERR_OK)
		e = check_parts(parts, count, first, last);
	if (e != ERR_OK)
		return e;
	uint8_t *img = disk;
	uint64_t n = l->disk_sectors, backup_arr = n - 1 - arr;
	if ((e = fill_array(img + 2 * ss, parts, names, count)) != ERR_OK)
		return e;
	memset(img + 2 * ss + GPT_ARRAY_BYTES, 0, arr * ss - GPT_ARRAY_BYTES);
	memcpy(img + backup_arr * ss, img + 2 * ss, arr * ss);

	struct gpt_header h;
	memset(&h, 0, sizeof h);
	memcpy(h.signature, GPT_SIGNATURE, 8);
	h.revision = GPT_REVISION;
	h.header_size = sizeof h;
	h.first_usable_lba = first;
	h.last_usable_lba = last;
	h.disk_guid = l->disk_guid;
	h.entry_count = GPT_ENTRY_COUNT;
	h.entry_size = GPT_ENTRY_SIZE;
	h.entries_crc32 = gpt_crc32(img + 2 * ss, GPT_ARRAY_BYTES);
	h.my_lba = 1;
	h.alternate_lba = n - 1;
	h.entries_lba = 2;
	write_header(img + ss, l->sector_size, &h);
	h.my_lba = n - 1;
	h.alternate_lba = 1;
	h.entries_lba = backup_arr;
	write_header(img + (n - 1) * ss, l->sector_size, &h);
	write_pmbr(img, n);
	return ERR_OK;
}

/* Stores v as n little-endian bytes at p. */
static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

enum err gpt_write_mbr_boot(void *mbr, const void *code, size_t len, uint64_t stage_lba,
                            uint32_t stage_sectors)
{
	const uint8_t *c = code;
	uint8_t *m = mbr;
	if (len > GPT_MBR_BOOT_AREA)
		return ERR_RANGE;
	for (size_t i = GPT_MBR_CODE_MAX; i < len; i++)
		if (c[i])
			return ERR_OVERLAP;
	memcpy(m, c, len);
	memset(m + len, 0, GPT_MBR_BOOT_AREA - len);
	put_le(m + GPT_MBR_STAGE_LBA_OFF, stage_lba, 8);
	put_le(m + GPT_MBR_STAGE_COUNT_OFF, stage_sectors, 4);
	return ERR_OK;
}
