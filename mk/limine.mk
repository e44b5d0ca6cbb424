# Limine as the second loader (loader: limine, e.g. config/limine.json).
# The user supplies a Limine 8.x binary release and names its folder with
# LIMINE_DIR=...; the project never ships, downloads or builds Limine.  The
# image then carries Limine's BOOTX64.EFI and limine-bios.sys instead of our
# loader, the same limine.conf, kernel and modules, and `limine bios-install`
# puts Limine's BIOS stages on the disk.

LIMINE_NEEDS := BOOTX64.EFI limine-bios.sys limine

ifeq ($(CFG_LOADER),limine)
ifeq ($(strip $(LIMINE_DIR)),)
LIMINE_MISSING := LIMINE_DIR is not set; point it at a Limine 8.x binary release (README.md, "Booting with Limine")
else
LIMINE_ABSENT := $(foreach f,$(LIMINE_NEEDS),$(if $(wildcard $(LIMINE_DIR)/$(f)),,$(LIMINE_DIR)/$(f)))
LIMINE_MISSING := $(if $(strip $(LIMINE_ABSENT)),LIMINE_DIR=$(LIMINE_DIR) lacks: $(LIMINE_ABSENT) (a Limine 8.x binary release has them all))
endif

ifneq ($(LIMINE_MISSING),)
$(error limine: $(LIMINE_MISSING))
endif

LOADER_FILES_limine = /EFI/BOOT/BOOTX64.EFI=$(LIMINE_DIR)/BOOTX64.EFI \
	/boot/limine/limine-bios.sys=$(LIMINE_DIR)/limine-bios.sys
IMAGE_POST = $(LIMINE_DIR)/limine bios-install
endif

.PHONY: limine-images
# The Limine images (make test builds those its matrix names by itself,
# mk/run.mk); without LIMINE_DIR the matrix's Limine entries are skipped.
limine-images:
	$(if $(strip $(LIMINE_DIR)),$(Q)$(MAKE) --no-print-directory CONFIG=config/limine.json \
		LIMINE_DIR=$(LIMINE_DIR) image test-image)
