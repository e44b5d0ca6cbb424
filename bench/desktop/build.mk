# `make bench-desktop` (part of `make bench`): full-screen composition at
# 1024x768 and 1920x1080 against a plain copy of the framebuffer in the
# same run (host), then one boot of the normal image to "desktop: up"
# (its time since reset, from the guest's cycle counter).
BENCH_DESKTOP := $(HOST)/bin/bench_desktop
$(BENCH_DESKTOP): $(call host_objs,bench/desktop/bench_desktop.c $(GFX_SRCS))
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $^ -o $@

.PHONY: bench-desktop
bench-desktop: $(BENCH_DESKTOP) $(BUILD)/disk.img $(HARNESS)
	$(Q)$(BENCH_DESKTOP)
	$(Q)$(HARNESS) test --build $(BUILD) --matrix bench/desktop/boot.txt --jobs 1 >/dev/null || \
		{ echo "bench-desktop: the desktop did not come up"; exit 1; }
	$(Q)grep -a -o 'desktop: up.*' $(BUILD)/logs/bench-desktop-boot.serial | head -1 | \
		sed 's/^/bench-desktop: boot to desktop: /'
BENCH_TARGETS += bench-desktop
