/* The framebuffer and the font from boot modules; time from the cycle
 * counter (platform.h). */
#include "platform.h"

#include <rt/heap.h>
#include <rt/invoke.h>
#include <rt/mem.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <tessera/caps.h>
#include <tessera/framebuffer.h>

#define LARGE (2ull << 20)

/* Checks the geometry and format: 32 bpp, red at 16, green at 8, blue at
 * 0 (gfx's pixel layout), the pixels inside the frames. */
static enum err check_format(const struct fb_info *fb)
{
	if (fb->magic != FB_INFO_MAGIC || fb->frames == 0 || fb->width == 0 || fb->height == 0 ||
	    fb->pitch < fb->width * 4) {
		rt_printf("desktop: framebuffer module: bad geometry %ux%u pitch %u, %u frames\n",
		          fb->width, fb->height, fb->pitch, fb->frames);
		return ERR_CORRUPT;
	}
	if (fb->bpp != 32 || fb->red_shift != 16 || fb->green_shift != 8 || fb->blue_shift != 0 ||
	    fb->red_size != 8 || fb->green_size != 8 || fb->blue_size != 8) {
		rt_printf("desktop: framebuffer: %u bpp with red/green/blue at %u/%u/%u: only 32 "
		          "bpp x8r8g8b8 is drawn\n",
		          fb->bpp, fb->red_shift, fb->green_shift, fb->blue_shift);
		return ERR_UNSUPPORTED;
	}
	return ERR_OK;
}

/* Maps device frames 1..frames of the module's CNode one after another
 * from a 2 MiB-aligned address; the first's address to *va. */
static enum err map_frames(const struct bootinfo_module *m, const struct fb_info *fb, uint64_t *va)
{
	struct rt_capref cnode = rt_root_ref(m->cnode);
	uint64_t bytes = 0;

	for (uint32_t i = 1; i <= fb->frames; i++) {
		struct cap_results_identify id;
		struct rt_capref c = rt_ref_in(cnode, m->cnode_bits, i);
		enum err e = invoke_identify(c.addr, c.depth, &id);
		if (e || id.type != CAP_DEVICE_FRAME)
			return e ? e : ERR_TYPE;
		bytes += 1ull << id.size_bits;
	}
	uint64_t area = rt_map_area((bytes + LARGE) / RT_PAGE);
	if (!area)
		return ERR_NOMEM;
	uint64_t at = (area + LARGE - 1) & ~(LARGE - 1);
	*va = at;
	for (uint32_t i = 1; i <= fb->frames; i++) {
		struct cap_results_identify id;
		struct rt_capref c = rt_ref_in(cnode, m->cnode_bits, i), slot;
		enum err e = invoke_identify(c.addr, c.depth, &id);
		if (!e)
			e = rt_slot_alloc(&slot);
		if (!e)
			e = rt_copy(slot, c);
		if (!e)
			e = rt_map(slot, at, CAP_RIGHT_READ | CAP_RIGHT_WRITE);
		if (e)
			return e;
		at += 1ull << id.size_bits;
	}
	return ERR_OK;
}

enum err platform_framebuffer(struct gfx_surface *front)
{
	const struct bootinfo_module *m = rt_module(FB_MODULE_NAME);
	struct rt_mapping info;
	uint64_t va;

	if (!m)
		return ERR_NOENT;
	enum err e = rt_module_map(m, &info);
	if (e)
		return e;
	struct fb_info fb = *(const struct fb_info *)info.data;
	rt_module_unmap(&info);
	e = check_format(&fb);
	if (!e)
		e = map_frames(m, &fb, &va);
	if (e)
		return e;
	uint32_t *pixels = (uint32_t *)(uintptr_t)(va + fb.offset);
	return gfx_surface_init(front, pixels, (int32_t)fb.width, (int32_t)fb.height, fb.pitch / 4)
	               ? ERR_OK
	               : ERR_CORRUPT;
}

enum err platform_font(const char *name, const void **data, size_t *size)
{
	const struct bootinfo_module *m = rt_module(name);
	static struct rt_mapping map; /* kept mapped for the program's life */

	if (!m)
		return ERR_NOENT;
	enum err e = rt_module_map(m, &map);
	if (!e) {
		*data = map.data;
		*size = map.size;
	}
	return e;
}

uint64_t platform_ms(void)
{
	static uint64_t start;
	uint64_t now = rt_cycles(), hz = rt_cycles_hz();

	if (!start)
		start = now;
	return hz ? (now - start) / (hz / 1000) : 0;
}
