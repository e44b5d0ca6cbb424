/* What the desktop takes from the system, behind one function each: the
 * framebuffer (the module "framebuffer", tessera/framebuffer.h) and the
 * font's bytes (a boot module for now; the file service later). */
#ifndef DESKTOP_PLATFORM_H
#define DESKTOP_PLATFORM_H

#include <gfx/gfx.h>
#include <stddef.h>
#include <tessera/err.h>

/* Maps the framebuffer's device frames and describes them as a surface.
 * NOENT no framebuffer module; UNSUPPORTED a pixel format other than 32
 * bits x8r8g8b8 (said on the log); the mapping's errors. */
enum err platform_framebuffer(struct gfx_surface *front);

/* The bytes of the font file `name`, mapped read-only.  NOENT if absent. */
enum err platform_font(const char *name, const void **data, size_t *size);

/* Milliseconds since the first call (the cycle counter). */
uint64_t platform_ms(void);

#endif
