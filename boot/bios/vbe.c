/* VBE through INT 10h AX=4F00h/4F01h/4F02h/4F15h (VBE 3.0 spec, sections
 * 4.3-4.5; VBE/DDC 1.1): see vbe.h. */
#include "vbe.h"

#include <string/mem.h>

#include "bioscall.h"

#define VBE_OK        0x004f
#define VBE_MAX_MODES 256

/* VBE 3.0 section 4.4, "VbeInfoBlock". */
struct vbe_info {
	char signature[4];
	uint16_t version;
	uint32_t oem_string;
	uint32_t capabilities;
	uint32_t mode_list; /* far pointer to u16 modes, 0xFFFF-terminated */
	uint16_t total_memory;
	uint8_t rest[492];
} __attribute__((packed));
_Static_assert(sizeof(struct vbe_info) == 512, "VbeInfoBlock");

/* VBE 3.0 section 4.5, "ModeInfoBlock" (the fields used here). */
struct vbe_mode_info {
	uint16_t attributes;
	uint8_t win_a, win_b;
	uint16_t granularity, win_size, seg_a, seg_b;
	uint32_t win_func;
	uint16_t pitch; /* BytesPerScanLine */
	uint16_t width, height;
	uint8_t char_w, char_h, planes, bpp, banks, memory_model, bank_size, pages, reserved0;
	uint8_t red_size, red_pos, green_size, green_pos, blue_size, blue_pos;
	uint8_t rsvd_size, rsvd_pos, direct_color_info;
	uint32_t phys_base;
	uint32_t reserved1;
	uint16_t reserved2;
	uint16_t lin_pitch; /* VBE 3.0 */
	uint8_t bnk_pages, lin_pages;
	uint8_t lin_red_size, lin_red_pos, lin_green_size, lin_green_pos;
	uint8_t lin_blue_size, lin_blue_pos, lin_rsvd_size, lin_rsvd_pos;
	uint32_t max_pixel_clock;
	uint8_t rest[190];
} __attribute__((packed));
_Static_assert(sizeof(struct vbe_mode_info) == 256, "ModeInfoBlock");
_Static_assert(offsetof(struct vbe_mode_info, bpp) == 0x19, "ModeInfoBlock.BitsPerPixel");
_Static_assert(offsetof(struct vbe_mode_info, phys_base) == 0x28, "ModeInfoBlock.PhysBasePtr");
_Static_assert(offsetof(struct vbe_mode_info, lin_pitch) == 0x32, "LinBytesPerScanLine");
_Static_assert(offsetof(struct vbe_mode_info, lin_red_size) == 0x36, "LinRedMaskSize");

#define MODE_SUPPORTED (1u << 0)
#define MODE_GRAPHICS  (1u << 4)
#define MODE_LINEAR    (1u << 7)
#define MODEL_DIRECT   6
#define SET_LINEAR     0x4000 /* AX=4F02h BX bit 14: use the linear framebuffer */

static struct vbe_info info __attribute__((aligned(16)));
static struct vbe_mode_info mode_info __attribute__((aligned(16)));
static uint8_t edid_buf[128] __attribute__((aligned(16)));
static uint16_t mode_numbers[VBE_MAX_MODES];

static int vbe_int(uint32_t eax, uint32_t ebx, uint32_t ecx, void *buf)
{
	struct bios_regs r = {0};
	r.eax = eax;
	r.ebx = ebx;
	r.ecx = ecx;
	r.es = bios_seg(buf);
	r.edi = bios_off(buf);
	bios_call(0x10, &r);
	return (r.eax & 0xffff) == VBE_OK;
}

/* Copies the BIOS's mode list (which may live inside `info`). */
static size_t vbe_mode_numbers(void)
{
	memset(&info, 0, sizeof info);
	memcpy(info.signature, "VBE2", 4); /* ask for the VBE 2.0+ block */
	if (!vbe_int(0x4f00, 0, 0, &info) || memcmp(info.signature, "VESA", 4) != 0 ||
	    info.version < 0x0200)
		return 0;
	const volatile uint16_t *list = (const volatile uint16_t *)bios_linear(info.mode_list);
	if ((uintptr_t)list >= 0x100000)
		return 0;
	size_t n = 0;
	for (; n < VBE_MAX_MODES && list[n] != 0xffff; n++)
		mode_numbers[n] = list[n];
	return n;
}

/* Describes mode number `num` into *out if it is usable. */
static int vbe_describe(uint16_t num, struct vbe_mode *out)
{
	const struct vbe_mode_info *mi = &mode_info;
	uint32_t need = MODE_SUPPORTED | MODE_GRAPHICS | MODE_LINEAR;
	memset(&mode_info, 0, sizeof mode_info);
	if (!vbe_int(0x4f01, 0, num, &mode_info) || (mi->attributes & need) != need)
		return 0;
	if (mi->memory_model != MODEL_DIRECT || mi->bpp < 15 || mi->bpp > 32 || !mi->phys_base)
		return 0;
	int v3 = info.version >= 0x0300 && mi->lin_red_size;
	struct limine_video_mode *m = &out->m;
	out->number = num;
	out->phys = mi->phys_base;
	m->pitch = v3 && mi->lin_pitch ? mi->lin_pitch : mi->pitch;
	m->width = mi->width;
	m->height = mi->height;
	m->bpp = mi->bpp;
	m->memory_model = LIMINE_FRAMEBUFFER_RGB;
	m->red_mask_size = v3 ? mi->lin_red_size : mi->red_size;
	m->red_mask_shift = v3 ? mi->lin_red_pos : mi->red_pos;
	m->green_mask_size = v3 ? mi->lin_green_size : mi->green_size;
	m->green_mask_shift = v3 ? mi->lin_green_pos : mi->green_pos;
	m->blue_mask_size = v3 ? mi->lin_blue_size : mi->blue_size;
	m->blue_mask_shift = v3 ? mi->lin_blue_pos : mi->blue_pos;
	return m->width && m->height && m->pitch >= m->width * ((m->bpp + 7) / 8);
}

enum err vbe_list_modes(struct vbe_mode *out, size_t cap, size_t *count)
{
	size_t total = vbe_mode_numbers(), n = 0;
	*count = 0;
	if (!total)
		return ERR_UNSUPPORTED;
	for (size_t i = 0; i < total && n < cap; i++)
		if (vbe_describe(mode_numbers[i], &out[n]))
			n++;
	*count = n;
	return ERR_OK;
}

enum err vbe_set_mode(uint16_t number)
{
	return vbe_int(0x4f02, number | SET_LINEAR, 0, &info) ? ERR_OK : ERR_IO;
}

enum err vbe_read_edid(uint8_t edid[128])
{
	memset(edid_buf, 0, sizeof edid_buf);
	struct bios_regs r = {0};
	r.eax = 0x4f15;
	r.ebx = 0x01; /* read EDID */
	r.es = bios_seg(edid_buf);
	r.edi = bios_off(edid_buf);
	bios_call(0x10, &r);
	if ((r.eax & 0xffff) != VBE_OK)
		return ERR_UNSUPPORTED;
	memcpy(edid, edid_buf, sizeof edid_buf);
	return ERR_OK;
}
