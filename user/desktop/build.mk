# The desktop (user/desktop): the compositor, on lib/gfx, lib/font and
# lib/ui, and its window clients (user/apps/widgets, terminal, editor, files,
# sysmon),
# which link the client library (user/desktop/client/wclient.mk).  Core 0's monitor starts the desktop when the
# image has it: it, its clients and their fonts go on the normal image only
# (mk/image.mk BOOT_MODULES).
DESKTOP_SRCS := $(addprefix user/desktop/,main.c platform.c surface.c wm.c wm_input.c \
	taskbar.c input.c instream.c about.c remote.c) $(GFX_SRCS) $(FONT_SRCS) $(UI_SRCS)
$(eval $(call user_program,desktop,$(DESKTOP_SRCS),user/desktop/desktop.manifest))
DESKTOP_CLIENTS := widgets terminal editor files sysmon
DESKTOP_FONT_DIR := /usr/share/fonts/truetype/dejavu
DESKTOP_BOOT_MODULES := /boot/modules/desktop=$(BUILD)/user/modules/desktop.tile \
	/boot/modules/DejaVuSans.ttf=$(DESKTOP_FONT_DIR)/DejaVuSans.ttf \
	/boot/modules/DejaVuSansMono.ttf=$(DESKTOP_FONT_DIR)/DejaVuSansMono.ttf \
	$(foreach c,$(DESKTOP_CLIENTS),/boot/modules/$(c)=$(BUILD)/user/modules/$(c).tile)
