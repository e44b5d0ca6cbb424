/* GPT reader: protective MBR, primary header and array with their CRCs,
 * falling back to the backup header.  See gpt.h.
 * Specification: UEFI 2.10, 5.2.3 (protective MBR) and 5.3 (GPT).
 */
#include "gpt.h"

#include <stdbool.h>
#include <string/mem.h>

#include "gpt_disk.h"

const struct gpt_guid gpt_type_esp = {{0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11, 0xba, 0x4b,
                                       0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b}};

#define CHUNK_BYTES     16384u              /* the array is read this much at a time */
#define MAX_ARRAY_BYTES (16u * 1024 * 1024) /* bound on what a header may claim */

/* Checks for a protective MBR (an 0xEE record) in LBA 0; reads the disk id. */
static enum err check_pmbr(const struct blockdev *dev, uint8_t *buf, struct gpt_disk *disk)
{
	enum err e = dev->read(dev->ctx, 0, 1, buf);
	if (e != ERR_OK)
		return e;
	struct mbr_sector mbr;
	memcpy(&mbr, buf, sizeof mbr);
	if (mbr.signature != MBR_SIGNATURE)
		return ERR_CORRUPT;
	int found = 0;
	for (int i = 0; i < 4; i++)
		if (mbr.part[i].os_type == MBR_TYPE_GPT_PMBR && mbr.part[i].start_lba == 1)
			found = 1;
	if (!found)
		return ERR_CORRUPT;
	if (disk)
		disk->mbr_disk_id = mbr.disk_signature;
	return ERR_OK;
}

/* CRC of the first size bytes of a header sector with its CRC field zeroed. */
static uint32_t header_crc(const uint8_t *buf, uint32_t size)
{
	static const uint8_t zero[4];
	uint32_t off = offsetof(struct gpt_header, header_crc32);
	uint32_t crc = gpt_crc32_update(0, buf, off);
	crc = gpt_crc32_update(crc, zero, sizeof zero);
	return gpt_crc32_update(crc, buf + off + 4, size - off - 4);
}

/* Checks the header's fields against each other and against the disk. */
static enum err check_header_fields(const struct gpt_header *h, const struct blockdev *dev,
                                    uint64_t lba)
{
	uint32_t ss = dev->sector_size;
	if (h->my_lba != lba || h->first_usable_lba > h->last_usable_lba)
		return ERR_CORRUPT;
	if (lba >= h->first_usable_lba && lba <= h->last_usable_lba)
		return ERR_CORRUPT;
	if (h->entry_size < 128 || h->entry_size > CHUNK_BYTES ||
	    (h->entry_size & (h->entry_size - 1)) || h->entry_count == 0 ||
	    (uint64_t)h->entry_count * h->entry_size > MAX_ARRAY_BYTES)
		return ERR_CORRUPT;
	uint64_t array_sectors = ((uint64_t)h->entry_count * h->entry_size + ss - 1) / ss;
	if (h->entries_lba > UINT64_MAX - array_sectors)
		return ERR_CORRUPT; /* the array's end would wrap around */
	uint64_t array_last = h->entries_lba + array_sectors - 1;
	if (h->entries_lba == 0 ||
	    !(array_last < h->first_usable_lba || h->entries_lba > h->last_usable_lba))
		return ERR_CORRUPT;
	if (dev->sector_count &&
	    (h->last_usable_lba >= dev->sector_count || h->alternate_lba >= dev->sector_count ||
	     array_last >= dev->sector_count))
		return ERR_CORRUPT;
	return ERR_OK;
}

/* Reads the GPT header at lba into *h and validates it (UEFI 5.3.2). */
static enum err load_header(const struct blockdev *dev, uint64_t lba, uint8_t *buf,
                            struct gpt_header *h)
{
	enum err e = dev->read(dev->ctx, lba, 1, buf);
	if (e != ERR_OK)
		return e;
	memcpy(h, buf, sizeof *h);
	if (memcmp(h->signature, GPT_SIGNATURE, 8) != 0 || (h->revision >> 16) != 1)
		return ERR_CORRUPT;
	if (h->header_size < sizeof *h || h->header_size > dev->sector_size)
		return ERR_CORRUPT;
	if (header_crc(buf, h->header_size) != h->header_crc32)
		return ERR_CORRUPT;
	return check_header_fields(h, dev, lba);
}

/* Copies entry ent (1-based index) into part after checking its range. */
static enum err take_entry(const struct gpt_header *h, const struct gpt_entry *ent, uint32_t index,
                           struct gpt_partition *part)
{
	if (ent->first_lba > ent->last_lba || ent->first_lba < h->first_usable_lba ||
	    ent->last_lba > h->last_usable_lba)
		return ERR_CORRUPT;
	part->index = index;
	part->type = ent->type;
	part->guid = ent->guid;
	part->first_lba = ent->first_lba;
	part->last_lba = ent->last_lba;
	return ERR_OK;
}

/* What a scan of the array collects: the entries of one type (type not
 * NULL), or every used entry (type NULL: a non-zero type GUID), into
 * parts[0..max); n counts them all. */
struct scan {
	const struct gpt_guid *type;
	struct gpt_partition *parts;
	uint32_t max, n;
};

static bool entry_used(const struct gpt_entry *ent)
{
	static const struct gpt_guid unused; /* UEFI 2.10 table 5.7: all zeroes */

	return memcmp(&ent->type, &unused, sizeof unused) != 0;
}

/* Streams the partition array through chunk, checking its CRC and taking
 * the entries sc asks for (each checked against the usable range). */
static enum err scan_array(const struct blockdev *dev, const struct gpt_header *h, uint8_t *chunk,
                           struct scan *sc)
{
	uint64_t left = (uint64_t)h->entry_count * h->entry_size, lba = h->entries_lba;
	uint32_t crc = 0, index = 0, ss = dev->sector_size;
	sc->n = 0;
	while (left) {
		uint32_t bytes = left < CHUNK_BYTES ? (uint32_t)left : CHUNK_BYTES;
		uint32_t sectors = (bytes + ss - 1) / ss;
		enum err e = dev->read(dev->ctx, lba, sectors, chunk);
		if (e != ERR_OK)
			return e;
		crc = gpt_crc32_update(crc, chunk, bytes);
		for (uint32_t off = 0; off < bytes; off += h->entry_size) {
			struct gpt_entry ent;
			memcpy(&ent, chunk + off, sizeof ent);
			index++;
			bool want = sc->type ? !memcmp(&ent.type, sc->type, sizeof *sc->type)
			                     : entry_used(&ent);
			if (!want)
				continue;
			if (sc->n < sc->max &&
			    (e = take_entry(h, &ent, index, &sc->parts[sc->n])) != ERR_OK)
				return e;
			sc->n++;
		}
		lba += sectors;
		left -= bytes;
	}
	return crc != h->entries_crc32 ? ERR_CORRUPT : ERR_OK;
}

/* The primary table (or the backup, when the primary is damaged) scanned
 * for what sc asks. */
static enum err scan(const struct blockdev *dev, void *scratch, struct scan *sc,
                     struct gpt_disk *disk)
{
	uint8_t *buf = scratch, *chunk = buf + dev->sector_size;
	struct gpt_header h;
	if (dev->sector_size < 512 || dev->sector_size > CHUNK_BYTES ||
	    (dev->sector_size & (dev->sector_size - 1)))
		return ERR_INVAL;
	if (dev->sector_count && dev->sector_count < 2)
		return ERR_CORRUPT; /* no room for the protective MBR and a header */
	enum err e = check_pmbr(dev, buf, disk);
	if (e != ERR_OK)
		return e;
	uint64_t backup = dev->sector_count ? dev->sector_count - 1 : 0;
	e = load_header(dev, 1, buf, &h);
	if (e == ERR_OK) {
		backup = h.alternate_lba; /* a valid header says where its twin is */
		e = scan_array(dev, &h, chunk, sc);
	}
	if (e == ERR_CORRUPT && backup > 1) {
		e = load_header(dev, backup, buf, &h);
		if (e == ERR_OK)
			e = scan_array(dev, &h, chunk, sc);
	}
	if (e == ERR_OK && disk)
		disk->guid = h.disk_guid;
	return e;
}

enum err gpt_find(const struct blockdev *dev, const struct gpt_guid *type, void *scratch,
                  struct gpt_partition *part, struct gpt_disk *disk)
{
	struct scan sc = {.type = type, .parts = part, .max = 1};
	enum err e = scan(dev, scratch, &sc, disk);

	return e == ERR_OK && !sc.n ? ERR_NOENT : e;
}

enum err gpt_list(const struct blockdev *dev, void *scratch, struct gpt_partition *parts,
                  uint32_t max, uint32_t *count, struct gpt_disk *disk)
{
	struct scan sc = {.parts = parts, .max = max};
	enum err e = scan(dev, scratch, &sc, disk);

	*count = e == ERR_OK ? sc.n : 0;
	return e;
}
