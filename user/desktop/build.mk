# The desktop (user/desktop): the compositor, on lib/gfx, lib/font and
# lib/ui.  Core 0's monitor starts it when the image has it: it and its font
# go on the normal image only (mk/image.mk BOOT_MODULES).
DESKTOP_SRCS := $(addprefix user/desktop/,main.c platform.c surface.c wm.c wm_input.c \
	taskbar.c input.c demo.c about.c) $(GFX_SRCS) $(FONT_SRCS) $(UI_SRCS)
$(eval $(call user_program,desktop,$(DESKTOP_SRCS),user/desktop/desktop.manifest))
DESKTOP_FONT := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
DESKTOP_BOOT_MODULES := /boot/modules/desktop=$(BUILD)/user/modules/desktop.tile \
	/boot/modules/DejaVuSans.ttf=$(DESKTOP_FONT)
