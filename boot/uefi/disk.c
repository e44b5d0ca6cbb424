/* The boot volume: the EFI_BLOCK_IO of the partition the loader was loaded
 * from as a struct blockdev, and the partition's identity from its device
 * path (UEFI 2.10 10.3.5.1) and the disk's GPT (ch. 5). */
#include <boot.h>
#include <fw.h>
#include <log.h>
#include <string/mem.h>

#include "uefi.h"

#define BOUNCE_BYTES 0x10000u

struct efi_disk {
	struct efi_block_io *bio;
	struct blockdev dev;
	uint8_t *bounce; /* for buffers the device cannot DMA into */
};

static struct efi_disk part, whole;

/* blockdev read: large reads go straight to the device in one call. */
static enum err disk_read(void *ctx, uint64_t lba, uint32_t count, void *buf)
{
	struct efi_disk *d = ctx;
	struct efi_block_io_media *m = d->bio->media;
	uint64_t bytes = (uint64_t)count * m->block_size;

	if (efi_exited)
		return ERR_IO;
	if (m->io_align <= 1 || !((uintptr_t)buf & (m->io_align - 1)))
		return efi_err(d->bio->read_blocks(d->bio, m->media_id, lba, bytes, buf));
	if (!d->bounce)
		d->bounce = boot_alloc_pages(BOUNCE_BYTES / BOOT_PAGE, BOOT_MEM_RECLAIMABLE);
	uint32_t per = BOUNCE_BYTES / m->block_size;
	for (uint32_t done = 0; done < count;) {
		uint32_t n = count - done < per ? count - done : per;
		efi_status s = d->bio->read_blocks(d->bio, m->media_id, lba + done,
		                                   (uint64_t)n * m->block_size, d->bounce);
		if (s != EFI_SUCCESS)
			return efi_err(s);
		memcpy((uint8_t *)buf + (uint64_t)done * m->block_size, d->bounce,
		       (uint64_t)n * m->block_size);
		done += n;
	}
	return ERR_OK;
}

static void disk_init(struct efi_disk *d, struct efi_block_io *bio)
{
	d->bio = bio;
	d->dev.ctx = d;
	d->dev.sector_size = bio->media->block_size;
	d->dev.sector_count = bio->media->last_block + 1;
	d->dev.read = disk_read;
}

static uint16_t node_length(const struct efi_device_path *n)
{
	return (uint16_t)(n->length[0] | (n->length[1] << 8));
}

/* The Hard Drive node of a device path, or NULL. */
static const struct efi_device_path *hard_drive_node(const struct efi_device_path *p)
{
	for (; p->type != EFI_DP_TYPE_END;
	     p = (const void *)((const uint8_t *)p + node_length(p))) {
		if (node_length(p) < sizeof(*p))
			return NULL;
		if (p->type == EFI_DP_TYPE_MEDIA && p->sub_type == EFI_DP_SUB_HARD_DRIVE &&
		    node_length(p) >= sizeof(struct efi_dp_hard_drive))
			return p;
	}
	return NULL;
}

/* The block device of the whole disk holding the partition whose device
 * path is path (hd is its Hard Drive node), or NULL. */
static struct efi_block_io *whole_disk(const struct efi_device_path *path,
                                       const struct efi_device_path *hd)
{
	static const struct efi_guid bio_guid = EFI_BLOCK_IO_GUID;
	size_t prefix = (size_t)((const uint8_t *)hd - (const uint8_t *)path);
	uint8_t *copy = boot_alloc(prefix + sizeof(struct efi_device_path));
	struct efi_device_path *end = (void *)(copy + prefix), *rest = (void *)copy;
	efi_handle h;
	void *bio;

	memcpy(copy, path, prefix);
	*end = (struct efi_device_path){EFI_DP_TYPE_END, EFI_DP_SUB_END_ENTIRE, {4, 0}};
	if (efi_bs->locate_device_path(&bio_guid, &rest, &h) != EFI_SUCCESS ||
	    rest->type != EFI_DP_TYPE_END)
		return NULL;
	if (efi_bs->handle_protocol(h, &bio_guid, &bio) != EFI_SUCCESS)
		return NULL;
	return ((struct efi_block_io *)bio)->media->logical_partition ? NULL : bio;
}

/* Fills the partition number and GUIDs from the device path and GPT. */
static void identify(struct boot_volume *vol, efi_handle device)
{
	static const struct efi_guid dp_guid = EFI_DEVICE_PATH_GUID;
	struct efi_dp_hard_drive hd;
	struct gpt_partition gp;
	struct gpt_disk gd;
	void *path;

	if (efi_bs->handle_protocol(device, &dp_guid, &path) != EFI_SUCCESS)
		return;
	const struct efi_device_path *node = hard_drive_node(path);
	if (!node)
		return;
	memcpy(&hd, node, sizeof(hd));
	vol->partition_index = hd.partition_number;
	if (hd.signature_type == EFI_HD_SIGNATURE_GUID)
		memcpy(vol->part_guid.b, hd.signature, 16);
	else if (hd.signature_type == EFI_HD_SIGNATURE_MBR)
		memcpy(&vol->mbr_disk_id, hd.signature, 4);
	struct efi_block_io *bio = whole_disk(path, node);
	if (!bio || hd.signature_type != EFI_HD_SIGNATURE_GUID)
		return;
	disk_init(&whole, bio);
	void *scratch = boot_alloc(bio->media->block_size + 16384);
	if (gpt_find(&whole.dev, &gpt_type_esp, scratch, &gp, &gd) == ERR_OK) {
		vol->disk_guid = gd.guid;
		vol->mbr_disk_id = gd.mbr_disk_id;
	}
}

enum err fw_boot_volume(struct boot_volume *vol)
{
	static const struct efi_guid li_guid = EFI_LOADED_IMAGE_GUID, bio_guid = EFI_BLOCK_IO_GUID;
	struct efi_loaded_image *li;
	void *bio;

	memset(vol, 0, sizeof(*vol));
	efi_status s = efi_bs->handle_protocol(efi_image, &li_guid, (void **)&li);
	if (s != EFI_SUCCESS)
		return efi_err(s);
	s = efi_bs->handle_protocol(li->device_handle, &bio_guid, &bio);
	if (s != EFI_SUCCESS)
		return efi_err(s);
	disk_init(&part, bio);
	vol->dev = &part.dev;
	vol->part_lba = 0; /* a partition's BLOCK_IO starts at the partition */
	identify(vol, li->device_handle);
	return ERR_OK;
}
