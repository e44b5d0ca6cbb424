# Running and testing under QEMU.  tools/harness knows how to start QEMU for a
# firmware, machine, core count and memory size; make only passes the options.

QEMU_OPTS = --firmware $(CFG_FIRMWARE) --machine $(CFG_MACHINE) --accel $(CFG_ACCEL) \
	--cores $(CFG_CORES) --memory $(CFG_MEMORY) --display $(CFG_DISPLAY)

.PHONY: run debug test test-all test-debug bench host-tests

run: $(BUILD)/disk.img $(HARNESS)
	$(Q)$(HARNESS) run --image $(BUILD)/disk.img $(QEMU_OPTS)

# QEMU stopped with its GDB stub on :1234, gdb attached with the kernel's
# symbols and a breakpoint at the kernel entry.
GDB_CMDS = -ex 'file $(KERNEL_ELF)' -ex 'target remote localhost:1234' \
	-ex 'hbreak kmain' -ex 'continue'

debug: $(BUILD)/disk.img $(HARNESS)
	$(Q)$(HARNESS) run --image $(BUILD)/disk.img $(QEMU_OPTS) --gdb \
		--gdb-cmd "gdb -q $(GDB_CMDS)"

test-debug: $(BUILD)/test.img $(HARNESS)
	$(Q)$(HARNESS) run --image $(BUILD)/test.img $(QEMU_OPTS) --gdb \
		--gdb-cmd "gdb -q -ex 'file $(KERNEL_TEST_ELF)' -ex 'target remote localhost:1234' -ex 'hbreak kmain' -ex 'continue'"

# `make test`: host unit tests, then the boot matrix, one report.  Without
# LIMINE_DIR the Limine entries are skipped, even if old Limine images exist.
SKIP_LIMINE = $(if $(strip $(LIMINE_DIR)),,--skip-image '../limine/=LIMINE_DIR not given')
TEST_MATRIX ?= tests/matrix/$(if $(filter limine,$(CFG_LOADER)),limine,test).txt
TEST_ALL_MATRIX ?= tests/matrix/$(if $(filter limine,$(CFG_LOADER)),limine,all).txt
test: host-tests $(BUILD)/test.img $(BUILD)/disk.img $(IMAGE_CHECK) $(HARNESS) limine-images
	$(Q)$(HARNESS) test --accel $(CFG_ACCEL) --build $(BUILD) --matrix $(TEST_MATRIX) $(SKIP_LIMINE) \
		$(HOST_TEST_BINS) $(IMAGE_CHECK)

test-all: host-tests $(BUILD)/test.img $(BUILD)/disk.img $(IMAGE_CHECK) $(HARNESS) limine-images
	$(Q)$(HARNESS) test --accel $(CFG_ACCEL) --build $(BUILD) --matrix $(TEST_ALL_MATRIX) $(SKIP_LIMINE) \
		--host-timeout 900 $(HOST_TEST_BINS) $(IMAGE_CHECK) tests/image/check-repro.sh

host-tests: $(HOST_TEST_BINS)

# `make bench`: each component adds its benchmark targets to BENCH_TARGETS.
bench: $(BENCH_TARGETS)
