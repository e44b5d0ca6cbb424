# bench-vm: cycles per frame allocation, per map/unmap of a 4 KiB and a
# 2 MiB page (INVLPG included), per page-table-cap map/unmap and per kernel
# heap allocation, measured in a guest on core 0 (bench/vm/bench_vm.c), after
# the host's bench-mm figures for the same buddy allocator.  Included from
# kernel/build.mk after the kernel's objects are known (not named build.mk,
# which tests/build.mk would include earlier).
#   make bench-vm
BENCH_VM_SRCS := bench/vm/bench_vm.c
KERNEL_BENCH_VM_ELF := $(BUILD)/tessera-bench-vm.elf

$(eval $(call kernel_link,$(KERNEL_BENCH_VM_ELF),$(KERNEL_OBJS) $(call kernel_objs,$(BENCH_VM_SRCS))))

$(BUILD)/bench-vm/limine.conf: $(IMAGE_CFG) mk/image.mk bench/vm/vm.mk
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)printf '%s\n' $(call limine_conf_lines,$(KERNEL_PATH),bench) > $@

# After disk.img, so the loader and modules are built.
$(BUILD)/bench-vm.img: $(KERNEL_BENCH_VM_ELF) $(BUILD)/bench-vm/limine.conf $(BUILD)/disk.img
	$(call msg,IMAGE,$@)
	$(Q)$(MKIMAGE) --out $@ $(call image_args,$(KERNEL_BENCH_VM_ELF),$(BUILD)/bench-vm/limine.conf)

.PHONY: bench-vm
bench-vm: $(BUILD)/bench-vm.img $(HARNESS) $(BENCH_MM)
	$(Q)$(BENCH_MM)
	$(Q)mkdir -p $(BUILD)/logs
	@echo "bench-vm: QEMU $(CFG_ACCEL), $(CFG_FIRMWARE) $(CFG_MACHINE), 1 core$(if $(filter tcg,$(CFG_ACCEL)), (TCG: emulated, so the cycles are the emulator's; compare the ratios))"
	$(Q)$(HARNESS) run --image $< --firmware $(CFG_FIRMWARE) --machine $(CFG_MACHINE) \
		--accel $(CFG_ACCEL) --cores 1 --memory 256 --display none \
		> $(BUILD)/logs/bench-vm.serial 2>&1; st=$$?; \
		grep -a '^\[cpu0\] bench-vm:' $(BUILD)/logs/bench-vm.serial | sed 's/^\[cpu0\] //'; \
		[ $$st -eq 0 ] || echo "bench-vm: failed (status $$st); serial log in $(BUILD)/logs/bench-vm.serial"; \
		exit $$st

BENCH_TARGETS += bench-vm
