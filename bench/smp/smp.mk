# bench-smp: URPC round trip and one-way throughput between two cores, next
# to one cache line bounced between the same cores, measured in a guest
# (bench/smp/bench_smp.c).  Included from kernel/build.mk, after the kernel's
# objects are known (so not named build.mk, which tests/build.mk would
# include earlier).
#   make bench-smp [BENCH_SMP_CORES=2]
BENCH_SMP_SRCS := bench/smp/bench_smp.c
KERNEL_BENCH_ELF := $(BUILD)/tessera-bench.elf
BENCH_SMP_CORES ?= 2

$(eval $(call kernel_link,$(KERNEL_BENCH_ELF),$(KERNEL_OBJS) $(call kernel_objs,$(BENCH_SMP_SRCS))))

$(BUILD)/bench-smp/limine.conf: $(IMAGE_CFG) mk/image.mk bench/smp/smp.mk
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)printf '%s\n' $(call limine_conf_lines,$(KERNEL_PATH),bench) > $@

# After disk.img, so the loader and modules are built.
$(BUILD)/bench-smp.img: $(KERNEL_BENCH_ELF) $(BUILD)/bench-smp/limine.conf $(BUILD)/disk.img
	$(call msg,IMAGE,$@)
	$(Q)$(MKIMAGE) --out $@ $(call image_args,$(KERNEL_BENCH_ELF),$(BUILD)/bench-smp/limine.conf)

.PHONY: bench-smp
bench-smp: $(BUILD)/bench-smp.img $(HARNESS)
	$(Q)mkdir -p $(BUILD)/logs
	@echo "bench-smp: QEMU $(CFG_ACCEL), $(CFG_FIRMWARE) $(CFG_MACHINE), $(BENCH_SMP_CORES) cores$(if $(filter tcg,$(CFG_ACCEL)), (TCG: emulated, so the cycles are the emulator's; compare the ratios))"
	$(Q)$(HARNESS) run --image $< --firmware $(CFG_FIRMWARE) --machine $(CFG_MACHINE) \
		--accel $(CFG_ACCEL) --cores $(BENCH_SMP_CORES) --memory 256 --display none \
		> $(BUILD)/logs/bench-smp.serial 2>&1; st=$$?; \
		grep -a '^\[cpu0\] bench-smp:' $(BUILD)/logs/bench-smp.serial | sed 's/^\[cpu0\] //'; \
		[ $$st -eq 0 ] || echo "bench-smp: failed (status $$st); serial log in $(BUILD)/logs/bench-smp.serial"; \
		exit $$st

BENCH_TARGETS += bench-smp
