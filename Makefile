# Tessera — top-level build.  `make help` lists the targets and options.
#
# One non-recursive make: each component adds its sources and rules in its own
# fragment (lib/build.mk, kernel/build.mk, boot/build.mk, tools/build.mk,
# tests/build.mk); this file holds the toolchain, the configuration and the
# user-facing targets.

.DEFAULT_GOAL := image
.SUFFIXES:
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules --no-builtin-variables

# ---- configuration --------------------------------------------------------
comma := ,
CONFIG ?= config/default.json
CFG_NAME := $(basename $(notdir $(CONFIG)))
BUILD := build/$(CFG_NAME)
HOST := build/host

# Options that may be overridden on the command line: make run CORES=4
OVERRIDE_VARS := ARCH LOADER FIRMWARE MACHINE ACCEL CORES MEMORY DISPLAY WIDTH HEIGHT
key_WIDTH := framebuffer.width
key_HEIGHT := framebuffer.height
key_of = $(or $(key_$(1)),$(shell echo '$(1)' | tr A-Z a-z))
OVERRIDES := $(foreach v,$(OVERRIDE_VARS),$(if $(filter command line,$(origin $(v))),--set '$(call key_of,$(v))=$($(v))'))

NO_CONFIG_GOALS := help clean deps distclean fuzz fuzz-corpus
ifneq ($(filter-out $(NO_CONFIG_GOALS),$(or $(MAKECMDGOALS),image)),)
NEED_CONFIG := 1
endif

ifdef NEED_CONFIG
# A configuration file that is not there: one line naming the ones that are.
ifeq ($(wildcard $(CONFIG)),)
CONFIG_NAMES := $(basename $(notdir $(sort $(wildcard config/*.json))))
$(error $(CONFIG): no such configuration (config/*.json: $(subst $(eval) ,$(comma) ,$(CONFIG_NAMES))))
endif
# The checker validates the configuration (and command-line overrides) before
# anything else is built; config.mk is rewritten only when its content changes
# (make builds it with the rule at the end of this file, then restarts with
# the CFG_* values known to everything below).
include $(BUILD)/config.mk
endif

# ---- output ---------------------------------------------------------------
V ?= 0
ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-7s %s\n' '$(1)' '$(2)';
endif

# ---- toolchains -----------------------------------------------------------
# The architecture's folder name (kernel/arch/$(ARCH_DIR), ...); before
# KERNEL_CFLAGS, which expands it immediately.
ARCH_DIR := $(or $(CFG_ARCH),x86_64)
CC := clang
LD := ld.lld
LLD_LINK := lld-link

COMMON_WARN := -Wall -Wextra -Werror -Wno-unused-parameter
COMMON_INC := -Iabi/include -Iinclude -Ilib
# Reproducible: no absolute source paths in debug information.
COMMON_INC += -ffile-prefix-map=$(CURDIR)=. -fdebug-compilation-dir=.

# Host tools: optimised.  Host tests: with ASan and UBSan.
HOST_CFLAGS := -std=c17 -D_GNU_SOURCE -O2 -g $(COMMON_WARN) $(COMMON_INC)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HOST_TEST_CFLAGS := -std=c17 -D_GNU_SOURCE -O1 -g $(COMMON_WARN) $(COMMON_INC) $(SAN_FLAGS)

# Freestanding x86_64 code shared by kernel and loaders: no SSE (the kernel is
# entered with SSE disabled), no red zone (interrupts use the same stack).
FREESTANDING := -std=gnu17 -ffreestanding -fno-builtin -nostdlib -fno-stack-protector \
	-mno-red-zone -mgeneral-regs-only -fno-omit-frame-pointer $(COMMON_WARN) $(COMMON_INC)

KERNEL_CFLAGS := --target=x86_64-unknown-none-elf $(FREESTANDING) -O2 -g \
	-fpie -fvisibility=hidden -Ikernel -Ikernel/arch/$(ARCH_DIR)/include
# Position independent (kernel/README.md "Image"): RIP-relative code (the small
# PIC model: the kernel stays in the top 2 GiB) and a -pie link whose only
# dynamic relocations are R_X86_64_RELATIVE words, which the loader applies.
KERNEL_LDFLAGS := -nostdlib -pie --no-dynamic-linker -z text -z max-page-size=0x1000 \
	--hash-style=sysv --build-id=none

# UEFI applications: PE32+ with the Microsoft x64 calling convention.  The
# loader's common code reaches its architecture's headers through
# -Iboot/common/arch/$(ARCH_DIR) (make check: tools/check/arch-rule.sh).
EFI_CFLAGS := --target=x86_64-unknown-windows $(FREESTANDING) -O2 -fshort-wchar \
	-Iboot/common -Iboot/common/arch/$(ARCH_DIR) -Iboot/uefi
EFI_LDFLAGS := /subsystem:efi_application /entry:efi_main /nodefaultlib \
	/Brepro /timestamp:0 /debug:none

# ---- fragments ------------------------------------------------------------
include mk/rules.mk
include lib/build.mk
include tools/build.mk
include tests/build.mk
include user/build.mk
include kernel/build.mk
include boot/build.mk
include mk/limine.mk
include mk/image.mk
include mk/run.mk
include mk/compdb.mk
include mk/ktests.mk

$(BUILD)/config.mk: $(CONFIG) $(TCFG) FORCE
	$(Q)mkdir -p $(@D)
	$(Q)$(TCFG) check $(CONFIG) $(OVERRIDES) --emit-make $@

.PHONY: FORCE
FORCE:

# ---- user-facing targets --------------------------------------------------
.PHONY: image all all-tests test test-all bench check clean distclean help deps

image: $(BUILD)/disk.img

CONFIGS := $(sort $(wildcard config/*.json))

# Configurations that need LIMINE_DIR are skipped, with a note, without it.
NEEDS_LIMINE = grep -q '"loader" *: *"limine"' $$c && [ -z "$(LIMINE_DIR)" ]
all:
	$(Q)for c in $(CONFIGS); do \
		if $(NEEDS_LIMINE); then echo "  SKIP    $$c (needs LIMINE_DIR)"; continue; fi; \
		$(MAKE) --no-print-directory CONFIG=$$c image || exit 1; done

all-tests: host-tests
	$(Q)for c in $(CONFIGS); do \
		if $(NEEDS_LIMINE); then echo "  SKIP    $$c (needs LIMINE_DIR)"; continue; fi; \
		$(MAKE) --no-print-directory CONFIG=$$c test-image || exit 1; done

deps:
	$(Q)mk/deps.sh $(HOST)/deps.ok

$(HOST)/deps.ok: mk/deps.sh
	$(Q)mk/deps.sh $@

# `make check`: clang-format, every header alone, the arch boundary
# (tools/check/check.sh); the header check uses each component's flags.
check: export CHECK_KERNEL_CFLAGS = $(KERNEL_CFLAGS)
check: export CHECK_BIOS_CFLAGS = $(BIOS_CFLAGS)
check: export CHECK_EFI_CFLAGS = $(EFI_CFLAGS)
check: export CHECK_HOST_CFLAGS = $(HOST_CFLAGS)
check: export CHECK_USER_CFLAGS = $(USER_CFLAGS)
check: export CHECK_HOST_TEST_CFLAGS = $(HOST_TEST_CFLAGS) -Ikernel -Ikernel/arch/$(ARCH_DIR)/include \
	-Iboot/common -Iboot/uefi
check: $(HOST)/deps-check.ok
	$(Q)tools/check/check.sh

$(HOST)/deps-check.ok: mk/deps.sh
	$(Q)mk/deps.sh $@ check

clean:
	$(call msg,CLEAN,build)
	$(Q)rm -rf build

distclean: clean
	$(Q)rm -f compile_commands.json

help:
	@sed -n 's/^## \{0,1\}//p' mk/help.txt
