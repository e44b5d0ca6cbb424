# Running and testing under QEMU.  tools/harness knows how to start QEMU for a
# firmware, machine, core count and memory size; make only passes the options.

QEMU_OPTS = --firmware $(CFG_FIRMWARE) --machine $(CFG_MACHINE) --accel $(CFG_ACCEL) \
	--cores $(CFG_CORES) --memory $(CFG_MEMORY) --display $(CFG_DISPLAY)

.PHONY: run debug test test-all test-debug bench host-tests

# The image is the boot disk on virtio-blk (OVMF and SeaBIOS boot from it;
# the file service's driver, user/drivers/vblk, drives it).
run: $(BUILD)/disk.img $(HARNESS)
	$(Q)$(HARNESS) run --image $(BUILD)/disk.img $(QEMU_OPTS) --disk virtio

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
test: host-tests $(IMAGE_CHECK) $(STORAGE_CHECK) $(HARNESS)
	$(Q)$(HARNESS) test --accel $(CFG_ACCEL) --build $(BUILD) --matrix $(TEST_MATRIX) $(SKIP_LIMINE) \
		--require-images $(HOST_TEST_BINS) $(IMAGE_CHECK) $(STORAGE_CHECK)

test-all: host-tests $(IMAGE_CHECK) $(STORAGE_CHECK_ALL) $(HARNESS)
	$(Q)$(HARNESS) test --accel $(CFG_ACCEL) --build $(BUILD) --matrix $(TEST_ALL_MATRIX) $(SKIP_LIMINE) \
		--require-images --host-timeout 900 $(HOST_TEST_BINS) $(IMAGE_CHECK) $(STORAGE_CHECK_ALL) \
		tests/image/check-repro.sh

# A test run builds everything its matrix boots, so the harness fails an
# entry whose image is missing (--require-images) instead of skipping it:
# every image the matrix names, and beside each ktap entry's image its case
# list (mk/ktests.mk).  This build directory's own (test.img,
# boot-tests/no-kernel.img...) are prerequisites, so one that no rule makes
# stops make; another configuration's (../NAME/...) come from a make of
# config/NAME.json, after everything of this one is built.  A configuration
# that needs LIMINE_DIR is left out without it (its entries are skipped).
matrix_files = $(shell awk '!/^[ \t]*(\#|$$)/ { print $$2; if ($$8 == "ktap") { \
	sub(/\.img$$/, "", $$2); print $$2 ".ktests" } }' $(1) | sort -u)
own_files = $(addprefix $(BUILD)/,$(filter-out ../%,$(patsubst ../$(CFG_NAME)/%,%,$(1))))
other_files = $(filter ../%,$(patsubst ../$(CFG_NAME)/%,%,$(1)))
other_configs = $(sort $(foreach f,$(1),$(word 2,$(subst /, ,$(f)))))

# other_images(files): makes each other configuration's files.
define other_images
	+$(Q)for c in $(call other_configs,$(1)); do \
		f=$$(for x in $(1); do case $$x in ../$$c/*) echo build/$${x#../};; esac; done); \
		if grep -q '"loader" *: *"limine"' config/$$c.json 2>/dev/null && [ -z "$(LIMINE_DIR)" ]; then \
			echo "  SKIP    config/$$c.json (needs LIMINE_DIR)"; continue; fi; \
		$(MAKE) --no-print-directory CONFIG=config/$$c.json $$f || exit 1; done
endef

# test-images, test-all-images: what `make test`, `make test-all` boot.
.PHONY: test-images test-all-images
test: test-images
test-all: test-all-images

ifneq ($(filter test test-images,$(MAKECMDGOALS)),)
TEST_FILES := $(call matrix_files,$(TEST_MATRIX))
test-images: $(call own_files,$(TEST_FILES)) host-tests $(HARNESS)
	$(call other_images,$(call other_files,$(TEST_FILES)))
endif

ifneq ($(filter test-all test-all-images,$(MAKECMDGOALS)),)
TEST_ALL_FILES := $(call matrix_files,$(TEST_ALL_MATRIX))
test-all-images: $(call own_files,$(TEST_ALL_FILES)) host-tests $(HARNESS)
	$(call other_images,$(call other_files,$(TEST_ALL_FILES)))
endif

host-tests: $(HOST_TEST_BINS)

# `make bench`: each component adds its benchmark targets to BENCH_TARGETS.
bench: $(BENCH_TARGETS)
