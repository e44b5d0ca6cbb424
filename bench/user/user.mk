# bench-user: issue 10's user-space figures, each against a baseline from
# the same run in the same guest (bench/user/README.md): the bench kernel
# (kernel/sched/bench_user.c with the bare hardware paths of
# kernel/arch/$(ARCH_DIR)/bench_*) runs the user benchmark programs
# (user/bench/) and prints raw figures on serial; bench/user/report.sh
# turns them into a table of ratios and fails if one is missing.
# Included from kernel/build.mk after the kernel's objects are known (so
# not named build.mk, which tests/build.mk would include earlier).
#   make bench-user
KERNEL_BENCH_USER_ELF := $(BUILD)/tessera-bench-user.elf
BENCH_USER_SRCS := kernel/sched/bench_user.c $(KERNEL_BENCH_ONLY)
BENCH_USER_FILES := $(foreach p,$(USER_BENCH_PROGRAMS),$(BUILD)/user/modules/$(p).tile)
# The image's modules: every image's (no startup description, so the
# monitor starts no init) and the benchmark programs.  Private: what the
# image depends on (disk.img) is made with its own.
BENCH_USER_MODULES = $(MODULES) \
	$(foreach p,$(USER_BENCH_PROGRAMS),$(MODULE_DIR)/$(p)=$(BUILD)/user/modules/$(p).tile)

$(eval $(call kernel_link,$(KERNEL_BENCH_USER_ELF),$(KERNEL_OBJS) $(call kernel_objs,$(BENCH_USER_SRCS))))

$(BUILD)/bench-user/limine.conf: private IMAGE_MODULES = $(BENCH_USER_MODULES)
$(BUILD)/bench-user/limine.conf: $(IMAGE_CFG) mk/image.mk bench/user/user.mk user/bench/build.mk
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)printf '%s\n' $(call limine_conf_lines,$(KERNEL_PATH),bench) > $@

# After disk.img, so the loader and the common modules are built.
$(BUILD)/bench-user.img: private IMAGE_MODULES = $(BENCH_USER_MODULES)
$(BUILD)/bench-user.img: $(KERNEL_BENCH_USER_ELF) $(BUILD)/bench-user/limine.conf \
		$(BUILD)/disk.img $(BENCH_USER_FILES)
	$(call msg,IMAGE,$@)
	$(Q)$(MKIMAGE) --out $@ $(call image_args,$(KERNEL_BENCH_USER_ELF),$(BUILD)/bench-user/limine.conf)

.PHONY: bench-user
bench-user: $(BUILD)/bench-user.img $(HARNESS)
	$(Q)mkdir -p $(BUILD)/logs
	$(Q)$(HARNESS) run --image $< --firmware $(CFG_FIRMWARE) --machine $(CFG_MACHINE) \
		--accel $(CFG_ACCEL) --cores 2 --memory 512 --display none \
		> $(BUILD)/logs/bench-user.serial 2>&1; st=$$?; \
		bench/user/report.sh $(BUILD)/logs/bench-user.serial $$st \
			"QEMU $(CFG_ACCEL), $(CFG_FIRMWARE) $(CFG_MACHINE), 2 cores$(if $(filter tcg,$(CFG_ACCEL)), (TCG: emulated, so the cycles are the emulator's; compare the ratios))"

BENCH_TARGETS += bench-user
