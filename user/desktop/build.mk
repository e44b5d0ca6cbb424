# The desktop (user/desktop): the compositor, on lib/gfx, lib/font and
# lib/ui.  Core 0's monitor starts it when the image has it: it and its font
# go on the normal image only (mk/image.mk BOOT_MODULES).
DESKTOP_SRCS := $(addprefix user/desktop/,main.c platform.c surface.c wm.c wm_input.c \
	taskbar.c input.c demo.c about.c) $(GFX_SRCS) $(FONT_SRCS) $(UI_SRCS)
$(eval $(call user_program,desktop,$(DESKTOP_SRCS),user/desktop/desktop.manifest))
DESKTOP_FONT := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
DESKTOP_BOOT_MODULES := /boot/modules/desktop=$(BUILD)/user/modules/desktop.tile \
	/boot/modules/DejaVuSans.ttf=$(DESKTOP_FONT)
# No auto-vectorisation in the desktop's code: the runtime's upcalls
# (memcpy on the run upcall, slot allocation on a fault) use SIMD
# registers without saving the thread's, so a loop holding a value in an
# xmm register across a preemption (a vectorised fill) resumes with it
# clobbered.  Scalar loops keep their values in general registers.  (The
# fix belongs in user/lib/rt; until then this keeps the screen right.)
DESKTOP_NOVEC := -fno-vectorize -fno-slp-vectorize
$(BUILD)/user/user/desktop/%.o $(BUILD)/user/lib/gfx/%.o $(BUILD)/user/lib/font/%.o \
	$(BUILD)/user/lib/ui/%.o: USER_CFLAGS += $(DESKTOP_NOVEC)
