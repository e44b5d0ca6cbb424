/* The framebuffer as core 0's CPU driver hands it to its monitor: the boot
 * module "framebuffer" (tessera/bootinfo.h), whose CNode holds in slot 0 a
 * frame with a struct fb_info (the module's bytes: frames = 1) and in slots
 * 1 .. fb_info.frames copies of the device frames that cover the pixels,
 * in address order (2 MiB where aligned, else 4 KiB; CAP_DEVICE_FRAME).  A
 * program that is given the module can map them and draw: the geometry and
 * pixel format are the loader's (Limine protocol, framebuffer feature).
 */
#ifndef TESSERA_FRAMEBUFFER_H
#define TESSERA_FRAMEBUFFER_H

#include <stdint.h>

#define FB_MODULE_NAME "framebuffer"
#define FB_INFO_MAGIC  0x6f666e6962667374ull /* "tsfbinfo" */

struct fb_info {
	uint64_t magic;  /* FB_INFO_MAGIC */
	uint64_t phys;   /* physical address of pixel (0, 0) */
	uint64_t offset; /* bytes from the first device frame's base to pixel (0, 0) */
	uint32_t width, height;
	uint32_t pitch;  /* bytes per row */
	uint32_t frames; /* device frames, in CNode slots 1 .. frames */
	uint16_t bpp;
	uint8_t memory_model; /* 1: RGB */
	uint8_t red_size, red_shift, green_size, green_shift, blue_size, blue_shift;
	uint8_t reserved[7];
};
_Static_assert(sizeof(struct fb_info) == 56, "ABI: fb_info");

#endif
