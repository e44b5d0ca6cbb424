/* VESA BIOS Extensions 2.0+ (VBE 3.0 specification): the linear-framebuffer
 * modes the video BIOS offers, choosing one, setting it, and the monitor's
 * EDID. */
#ifndef BOOT_BIOS_VBE_H
#define BOOT_BIOS_VBE_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/limine.h>

/* A usable mode: linear framebuffer, direct colour, 15 to 32 bpp. */
struct vbe_mode {
	uint16_t number;
	uint64_t phys; /* linear framebuffer */
	struct limine_video_mode m;
};

/* Lists the usable modes (at most cap).  ERR_UNSUPPORTED without VBE 2.0+. */
enum err vbe_list_modes(struct vbe_mode *out, size_t cap, size_t *count);

/* Index of the best mode no larger than width x height: modes of exactly
 * bpp bits per pixel come first, then the largest area, then the deepest
 * colour.  -1 if none fits. */
long vbe_pick(const struct vbe_mode *modes, size_t count, uint32_t width, uint32_t height,
              uint32_t bpp);

/* Sets a mode with its linear framebuffer (and a cleared screen). */
enum err vbe_set_mode(uint16_t number);

/* Reads the 128-byte EDID block of the first monitor (VBE/DDC AX=4F15h). */
enum err vbe_read_edid(uint8_t edid[128]);

/* The preferred resolution from an EDID's first detailed timing (VESA EDID
 * 1.3, 3.10.2); 0 if it has none. */
void vbe_edid_preferred(const uint8_t edid[128], uint32_t *width, uint32_t *height);

#endif
