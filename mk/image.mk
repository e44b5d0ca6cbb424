# The disk images: a raw GPT disk whose EFI system partition (FAT32) holds the
# loader, the kernel, the modules and limine.conf.  Written by tools/mkimage.
#   $(BUILD)/disk.img  the kernel proper
#   $(BUILD)/test.img  the test kernel, which runs its tests and exits QEMU

KERNEL_PATH := /boot/tessera.elf
MODULE_DIR := /boot/modules

# Modules placed on the ESP and listed in limine.conf: "esp-path=host-file".
# Every image has the monitor, init and the programs (USER_APPS, user/apps);
# only the normal image has init's startup description (BOOT_MODULES), so
# on the test images the monitor starts no init (the tests start their own,
# kernel/sched/rt_test.c).
MODULES := $(MODULE_DIR)/motd.txt=config/motd.txt \
	$(foreach p,monitor init $(USER_APPS),$(MODULE_DIR)/$(p)=$(BUILD)/user/modules/$(p).tile)
# startup.conf's configurations (`config = MODULE`) are boot modules too.
CONFIG_MODULES := $(MODULE_DIR)/sieve.conf=user/apps/sieve/sieve.conf \
	$(MODULE_DIR)/sieve-bad.conf=user/apps/sieve/sieve-bad.conf
BOOT_MODULES := $(MODULE_DIR)/startup=user/init/startup.conf $(DESKTOP_BOOT_MODULES) \
	$(CONFIG_MODULES)
# The modules of one image: MODULES and BOOT_MODULES; on the test images
# MODULES and the tests' (below).  Images with other lists set them
# `private`, so the list never leaks into a prerequisite another image
# shares (the normal limine.conf, disk.img).
IMAGE_MODULES = $(MODULES) $(BOOT_MODULES)
# The normal image's modules with another startup description (the demo and
# test variants of disk.img, which share its limine.conf: the same paths).
normal_modules_with = $(subst $(MODULE_DIR)/startup=user/init/startup.conf,$(MODULE_DIR)/startup=$(1),$(MODULES) $(BOOT_MODULES))

# What the images depend on besides their files' contents: the options that
# change what goes on them.  Rewritten (at parse time) only when that changes,
# so a run-only override (CORES, MEMORY, FIRMWARE, DISPLAY...) rebuilds nothing.
IMAGE_CFG := $(BUILD)/image.cfg
ifdef NEED_CONFIG
ifneq ($(CFG_LOADER),)
IMAGE_CFG_TEXT := loader=$(CFG_LOADER) $(if $(filter limine,$(CFG_LOADER)),limine_dir=$(LIMINE_DIR)) fb=$(CFG_WIDTH)x$(CFG_HEIGHT) \
	modules=$(MODULES) $(BOOT_MODULES)
$(shell mkdir -p $(BUILD); [ "$$(cat $(IMAGE_CFG) 2>/dev/null)" = '$(IMAGE_CFG_TEXT)' ] || \
	printf '%s\n' '$(IMAGE_CFG_TEXT)' > $(IMAGE_CFG))
endif
endif

# limine.conf lines for a kernel path and command line.  One syntax for both
# loaders: Limine 8.x's, of which our loader reads a subset (boot/common/conf.c).
esp_path = $(firstword $(subst =, ,$(1)))
limine_conf_lines = 'timeout: 0' 'serial: yes' '' '/Tessera' \
	'    protocol: limine' '    kernel_path: boot():$(1)' $(if $(2),'    cmdline: $(2)') \
	'    resolution: $(CFG_WIDTH)x$(CFG_HEIGHT)x32' \
	$(foreach m,$(IMAGE_MODULES),'    module_path: boot():$(call esp_path,$(m))' \
		'    module_cmdline: $(notdir $(call esp_path,$(m)))')

# The module lists come from every build.mk that adds a program or a file:
# the configurations are written on every make and replaced only when
# their text changed, so a new module always reaches the image and an
# unchanged list rebuilds nothing.
$(BUILD)/limine.conf: $(IMAGE_CFG) FORCE
	$(Q)mkdir -p $(@D)
	$(Q)printf '%s\n' $(call limine_conf_lines,$(KERNEL_PATH),) > $@.tmp
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else echo "  GEN     $@"; mv $@.tmp $@; fi

$(BUILD)/test/limine.conf: $(IMAGE_CFG) FORCE
	$(Q)mkdir -p $(@D)
	$(Q)printf '%s\n' $(call limine_conf_lines,$(KERNEL_PATH),test) > $@.tmp
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else echo "  GEN     $@"; mv $@.tmp $@; fi

LOADER_FILES_tessera = /EFI/BOOT/BOOTX64.EFI=$(BUILD)/BOOTX64.EFI
IMAGE_SEED = tessera-$(CFG_NAME)

# image_files(kernel-elf, limine.conf): every "esp-path=host-file" on an image.
image_files = $(LOADER_FILES_$(CFG_LOADER)) $(KERNEL_PATH)=$(1) /boot/limine.conf=$(2) \
	$(IMAGE_MODULES)

# image_args(kernel-elf, limine.conf)
image_args = --seed $(IMAGE_SEED) $(foreach f,$(call image_files,$(1),$(2)),--file $(f)) \
	$(if $(filter tessera,$(CFG_LOADER)),$(IMAGE_EXTRA_ARGS))

image_inputs = $(MKIMAGE) $(foreach f,$(LOADER_FILES_$(CFG_LOADER)) $(MODULES) $(BOOT_MODULES),$(lastword $(subst =, ,$(f)))) \
	$(IMAGE_CFG)

# make_image(kernel-elf, limine.conf): mkimage writes a temporary file and
# renames it; a loader's post-install step (IMAGE_POST, e.g. Limine's
# bios-install) runs on another temporary file before the final rename, so
# no partial image is ever left at the target path.
define make_image
	$(call msg,IMAGE,$@)
	$(Q)$(MKIMAGE) --out $@.part $(call image_args,$(1),$(2))
	$(if $(IMAGE_POST),$(Q)$(IMAGE_POST) $@.part > $@.log 2>&1 || \
		{ cat $@.log >&2; rm -f $@.part; echo "image: $(IMAGE_POST) failed" >&2; exit 1; })
	$(Q)mv -f $@.part $@
endef

$(BUILD)/disk.img: $(KERNEL_ELF) $(BUILD)/limine.conf $(call image_inputs)
	$(call make_image,$(KERNEL_ELF),$(BUILD)/limine.conf)

# The desktop's demo image (README "Desktop"): the normal image whose
# startup description gives the desktop --demo, so it replays its scripted
# input (the screenshot test, tests/matrix/desktop.screen) instead of
# taking the keyboard and the mouse as on `make run`.  The same files at
# the same places (limine.conf too), but the startup module.
DEMO_STARTUP := $(BUILD)/demo/startup.conf
$(BUILD)/desktop-demo.img: private IMAGE_MODULES = $(call normal_modules_with,$(DEMO_STARTUP))
$(DEMO_STARTUP): user/init/startup.conf
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sed '/name = desktop,/ s/ }$$/, args = [--demo] }/' $< > $@.tmp
	$(Q)grep -q 'name = desktop, .*args = \[--demo\] }' $@.tmp || \
		{ echo "$<: no desktop entry to give --demo" >&2; rm -f $@.tmp; exit 1; }
	$(Q)mv -f $@.tmp $@

$(BUILD)/desktop-demo.img: $(KERNEL_ELF) $(BUILD)/limine.conf $(call image_inputs) $(DEMO_STARTUP)
	$(call make_image,$(KERNEL_ELF),$(BUILD)/limine.conf)

# The user-space tests' image (tests/matrix/test.txt, userspace-*): the
# normal image whose startup description also lists what init must refuse
# (tests/userspace/refused.startup: a configuration its program's schema
# refuses), so the normal image (`make run`) has no failure on purpose.
USERSPACE_STARTUP := $(BUILD)/userspace/startup.conf
$(BUILD)/userspace.img: private IMAGE_MODULES = $(call normal_modules_with,$(USERSPACE_STARTUP))
$(USERSPACE_STARTUP): user/init/startup.conf tests/userspace/refused.startup
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)test "$$(tail -n 1 $<)" = "]" || { echo "$<: does not end with ]" >&2; exit 1; }
	$(Q){ sed '$$d' $<; cat tests/userspace/refused.startup; echo "]"; } > $@.tmp
	$(Q)mv -f $@.tmp $@

$(BUILD)/userspace.img: $(KERNEL_ELF) $(BUILD)/limine.conf $(call image_inputs) $(USERSPACE_STARTUP)
	$(call make_image,$(KERNEL_ELF),$(BUILD)/limine.conf)

# The apps' demo image: the same with --demo --apps (the desktop's apps'
# script: Files, the editor saving through the file service, the system
# monitor; tests/matrix/apps.screen).
APPS_STARTUP := $(BUILD)/demo/apps-startup.conf
$(BUILD)/desktop-apps.img: private IMAGE_MODULES = $(call normal_modules_with,$(APPS_STARTUP))
$(APPS_STARTUP): user/init/startup.conf
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sed '/name = desktop,/ s/ }$$/, args = [--demo, --apps] }/' $< > $@.tmp
	$(Q)grep -q 'name = desktop, .*args = \[--demo, --apps\] }' $@.tmp || \
		{ echo "$<: no desktop entry to give --demo --apps" >&2; rm -f $@.tmp; exit 1; }
	$(Q)mv -f $@.tmp $@

$(BUILD)/desktop-apps.img: $(KERNEL_ELF) $(BUILD)/limine.conf $(call image_inputs) $(APPS_STARTUP)
	$(call make_image,$(KERNEL_ELF),$(BUILD)/limine.conf)

# The test programs (user/tests) go on the test images only: for those
# targets (and what they make on the way) the image's modules are MODULES
# and TEST_MODULES.
TEST_MODULES = $(foreach p,$(USER_TEST_PROGRAMS),$(MODULE_DIR)/$(p)=$(BUILD)/user/modules/$(p).tile) \
	$(foreach f,$(USER_TEST_FILES),$(MODULE_DIR)/$(f))
TEST_MODULE_FILES := $(foreach p,$(USER_TEST_PROGRAMS),$(BUILD)/user/modules/$(p).tile) \
	$(foreach f,$(USER_TEST_FILES),$(lastword $(subst =, ,$(f))))
$(BUILD)/test.img $(BUILD)/test/limine.conf: private IMAGE_MODULES = $(MODULES) $(TEST_MODULES)
$(foreach v,$(TEST_VARIANTS),$(BUILD)/test-$(v).img $(BUILD)/test-$(v)/limine.conf): \
	private IMAGE_MODULES = $(MODULES) $(TEST_MODULES)

$(BUILD)/test.img: $(KERNEL_TEST_ELF) $(BUILD)/test/limine.conf $(call image_inputs) \
		$(TEST_MODULE_FILES)
	$(call make_image,$(KERNEL_TEST_ELF),$(BUILD)/test/limine.conf)

.PHONY: test-image
test-image: $(BUILD)/test.img

# The image check that `make test` runs with the host tests: the GPT verifies
# with sfdisk, the ESP passes fsck.fat -n, and mtools reads every file back
# byte for byte (tests/image/check-image.sh, KTAP).  A generated wrapper, so
# the harness runs it like a host test binary.
IMAGE_CHECK := $(BUILD)/image-check
$(IMAGE_CHECK): tests/image/check-image.sh $(BUILD)/disk.img
	$(call msg,GEN,$@)
	$(Q)printf '#!/bin/sh\nexec %s %s %s\n' tests/image/check-image.sh $(BUILD)/disk.img \
		'$(call image_files,$(KERNEL_ELF),$(BUILD)/limine.conf)' > $@.tmp
	$(Q)chmod +x $@.tmp && mv -f $@.tmp $@

# The storage image (tests/storage/README.md): the normal kernel and
# modules, a startup description that starts the file service on the boot
# disk, and espsums, the list of checksums of every file of its ESP that
# the service checks what it reads against.  The list is made by mtools and
# cksum(1) (tests/storage/mksums.sh) from the image built first with an
# empty list at the same path: the list is the only file that differs.
STORAGE_SUMS := $(BUILD)/storage/espsums
STORAGE_MODULES = $(MODULES) $(MODULE_DIR)/startup=tests/storage/startup.conf \
	$(MODULE_DIR)/espsums=$(STORAGE_SUMS)
$(BUILD)/storage.img $(BUILD)/storage/limine.conf: private IMAGE_MODULES = $(STORAGE_MODULES)
$(BUILD)/storage/pre.img: private IMAGE_MODULES = $(subst =$(STORAGE_SUMS),=$(STORAGE_SUMS).empty,$(STORAGE_MODULES))

$(BUILD)/storage/limine.conf: $(IMAGE_CFG) FORCE
	$(Q)mkdir -p $(@D)
	$(Q)printf '%s\n' $(call limine_conf_lines,$(KERNEL_PATH),) > $@.tmp
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else echo "  GEN     $@"; mv $@.tmp $@; fi

$(STORAGE_SUMS).empty:
	$(Q)mkdir -p $(@D) && : > $@

$(BUILD)/storage/pre.img: $(KERNEL_ELF) $(BUILD)/storage/limine.conf $(call image_inputs) \
		tests/storage/startup.conf $(STORAGE_SUMS).empty
	$(call make_image,$(KERNEL_ELF),$(BUILD)/storage/limine.conf)

$(STORAGE_SUMS): $(BUILD)/storage/pre.img tests/storage/mksums.sh
	$(call msg,GEN,$@)
	$(Q)tests/storage/mksums.sh $< $(MODULE_DIR)/espsums $@

$(BUILD)/storage.img: $(KERNEL_ELF) $(BUILD)/storage/limine.conf $(call image_inputs) \
		tests/storage/startup.conf $(STORAGE_SUMS)
	$(call make_image,$(KERNEL_ELF),$(BUILD)/storage/limine.conf)

.PHONY: storage-image
storage-image: $(BUILD)/storage.img

# The storage tests (tests/storage/storage-test.sh, KTAP) as a wrapper the
# harness runs like a host test: `make test` with 2 power cuts,
# `make test-all` with 20.
STORAGE_CHECK := $(BUILD)/storage-check
STORAGE_CHECK_ALL := $(BUILD)/storage-check-all
$(STORAGE_CHECK) $(STORAGE_CHECK_ALL): tests/storage/storage-test.sh tests/storage/cut.sh \
		tests/storage/lib.sh $(BUILD)/storage.img $(STORAGE_SUMS)
	$(call msg,GEN,$@)
	$(Q)printf '#!/bin/sh\nLOG_DIR=%s exec %s %s %s %s\n' $(BUILD)/logs/storage \
		tests/storage/storage-test.sh $(BUILD)/storage.img $(STORAGE_SUMS) \
		$(if $(filter %-all,$@),20,2) > $@.tmp
	$(Q)mkdir -p $(BUILD)/logs/storage
	$(Q)chmod +x $@.tmp && mv -f $@.tmp $@
