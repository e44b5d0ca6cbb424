# lib/ui: widgets over lib/gfx and lib/font (freestanding).
UI_SRCS := lib/ui/ui.c lib/ui/route.c lib/ui/draw.c lib/ui/text.c
