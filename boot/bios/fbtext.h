/* Loader messages on a linear framebuffer, in the video BIOS's own 8x16
 * font, once a VBE mode has replaced the text screen. */
#ifndef BOOT_BIOS_FBTEXT_H
#define BOOT_BIOS_FBTEXT_H

#include <stdint.h>
#include <tessera/limine.h>

/* Copies the ROM 8x16 font (INT 10h AX=1130h BH=06h); call while the BIOS
 * is usable.  Without it fbtext draws nothing. */
void fbtext_load_font(void);

/* Starts drawing on the framebuffer at phys (identity-mapped) in mode m,
 * from the top-left corner. */
void fbtext_start(uint64_t phys, const struct limine_video_mode *m);

/* Draws one character ('\r', '\n' move the cursor), scrolling at the end. */
void fbtext_putc(char c);

#endif
