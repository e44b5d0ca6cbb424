# lib/gfx: surfaces, blending, damage and composition (freestanding).
GFX_SRCS := lib/gfx/gfx.c lib/gfx/damage.c
