/* The framebuffer through the Graphics Output Protocol (UEFI 2.10 12.9). */
#include <boot.h>
#include <fw.h>
#include <string/mem.h>

#include "uefi.h"

#define MAX_HANDLES 16

/* Position and width of the contiguous set bits of a mask. */
static void mask_bits(uint32_t mask, uint8_t *size, uint8_t *shift)
{
	uint8_t s = 0, n = 0;

	if (mask)
		while (!(mask & 1)) {
			mask >>= 1;
			s++;
		}
	while (mask & 1) {
		mask >>= 1;
		n++;
	}
	*size = n;
	*shift = s;
}

/* A GOP mode as a Limine video mode; 0 if it has no linear framebuffer. */
static int describe(const struct efi_gop_mode_info *info, struct limine_video_mode *m)
{
	uint32_t r, g, b, x;

	switch (info->pixel_format) {
	case EFI_PIXEL_RGBX_8BPC: r = 0xff, g = 0xff00, b = 0xff0000, x = 0xff000000u; break;
	case EFI_PIXEL_BGRX_8BPC: r = 0xff0000, g = 0xff00, b = 0xff, x = 0xff000000u; break;
	case EFI_PIXEL_BIT_MASK:
		r = info->pixel_information.red;
		g = info->pixel_information.green;
		b = info->pixel_information.blue;
		x = info->pixel_information.reserved;
		break;
	default: return 0;
	}
	uint32_t all = r | g | b | x;
	uint16_t bpp = 0;
	while (bpp < 32 && (all >> bpp))
		bpp++;
	bpp = (uint16_t)((bpp + 7) & ~7);
	memset(m, 0, sizeof(*m));
	m->width = info->horizontal_resolution;
	m->height = info->vertical_resolution;
	m->bpp = bpp;
	m->pitch = (uint64_t)info->pixels_per_scan_line * (bpp / 8);
	m->memory_model = LIMINE_FRAMEBUFFER_RGB;
	mask_bits(r, &m->red_mask_size, &m->red_mask_shift);
	mask_bits(g, &m->green_mask_size, &m->green_mask_shift);
	mask_bits(b, &m->blue_mask_size, &m->blue_mask_shift);
	return bpp != 0;
}

/* Whether mode a suits width x height x bpp better than mode b: it fits,
 * then the preferred depth, then more pixels. */
static int better(const struct limine_video_mode *a, const struct limine_video_mode *b,
                  uint32_t width, uint32_t height, uint32_t bpp)
{
	if (a->width > width || a->height > height)
		return 0;
	if (!b)
		return 1;
	if ((a->bpp == bpp) != (b->bpp == bpp))
		return a->bpp == bpp;
	return a->width * a->height > b->width * b->height;
}

/* The GOP, and its handle for the EDID protocol. */
static struct efi_gop *find_gop(efi_handle *handle)
{
	static const struct efi_guid gop_guid = EFI_GOP_GUID;
	efi_handle handles[MAX_HANDLES];
	uint64_t size = sizeof(handles);
	void *gop;

	if (efi_bs->locate_handle(EFI_BY_PROTOCOL, &gop_guid, NULL, &size, handles) !=
	            EFI_SUCCESS ||
	    size < sizeof(efi_handle))
		return NULL;
	*handle = handles[0];
	if (efi_bs->handle_protocol(handles[0], &gop_guid, &gop) != EFI_SUCCESS)
		return NULL;
	return gop;
}

/* Lists the usable modes; returns the index (into fb->modes) of the best
 * for the request, or -1, and the GOP mode number of each in numbers. */
static int list_modes(struct efi_gop *gop, struct boot_fb *fb, uint32_t *numbers, uint32_t width,
                      uint32_t height, uint32_t bpp)
{
	int best = -1;

	fb->modes = boot_alloc(gop->mode->max_mode * sizeof(*fb->modes) + 1);
	fb->mode_count = 0;
	for (uint32_t i = 0; i < gop->mode->max_mode; i++) {
		struct efi_gop_mode_info *info;
		uint64_t size;
		struct limine_video_mode *m = &fb->modes[fb->mode_count];
		if (gop->query_mode(gop, i, &size, &info) != EFI_SUCCESS || !describe(info, m))
			continue;
		numbers[fb->mode_count] = i;
		if (better(m, best < 0 ? NULL : &fb->modes[best], width, height, bpp))
			best = (int)fb->mode_count;
		fb->mode_count++;
	}
	return best;
}

enum err fw_video(uint32_t width, uint32_t height, uint32_t bpp, struct boot_fb *fb)
{
	static const struct efi_guid edid_guid = EFI_EDID_ACTIVE_GUID;
	efi_handle handle;
	struct efi_edid *edid;

	memset(fb, 0, sizeof(*fb));
	struct efi_gop *gop = find_gop(&handle);
	if (!gop)
		return ERR_NOENT;
	uint32_t *numbers = boot_alloc(gop->mode->max_mode * sizeof(uint32_t) + 4);
	int best = list_modes(gop, fb, numbers, width ? width : UINT32_MAX,
	                      height ? height : UINT32_MAX, bpp);
	if (width && height && best >= 0 && numbers[best] != gop->mode->mode)
		gop->set_mode(gop, numbers[best]);
	if (!describe(gop->mode->info, &fb->mode) || !gop->mode->frame_buffer_base)
		return ERR_NOENT;
	fb->phys = gop->mode->frame_buffer_base;
	fb->size = fb->mode.pitch * fb->mode.height;
	if (efi_bs->handle_protocol(handle, &edid_guid, (void **)&edid) == EFI_SUCCESS &&
	    edid->size_of_edid && edid->edid) {
		uint8_t *copy = boot_alloc(edid->size_of_edid);
		memcpy(copy, edid->edid, edid->size_of_edid);
		fb->edid_phys = boot_phys(copy);
		fb->edid_size = edid->size_of_edid;
	}
	return ERR_OK;
}
