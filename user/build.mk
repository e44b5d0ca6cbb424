# User space: the runtime library and the programs (each program's folder
# has its own build.mk calling user_program).  Programs are static,
# freestanding ELF files linked at 4 MiB (user/lib/rt/arch/$(ARCH_DIR)/user.ld)
# until the executable format lands; they go on the image as boot modules.
#
# The runtime: start-up and upcalls, log, slots, untyped, address space and
# lazy mapping, heap, threads, modules, spawn (user/README.md); sections
# the program does not use are left out (--gc-sections).  The runtime never
# writes below a thread's stack pointer (no red zone is needed, none is
# used).  Floating point and SIMD are allowed: each dispatcher has its own
# registers (the kernel switches them with the dispatcher).
USER_CFLAGS := --target=x86_64-unknown-none-elf $(filter-out -mgeneral-regs-only,$(FREESTANDING)) -O2 -g -fno-pic -fno-pie \
	-ffunction-sections -fdata-sections \
	-Iuser/lib/rt/include -Iuser/lib/rt/arch/$(ARCH_DIR)/include -I$(TYPED_GEN)
USER_LDFLAGS := -nostdlib -static --no-dynamic-linker -z max-page-size=0x1000 --build-id=none \
	--gc-sections
USER_LDS := user/lib/rt/arch/$(ARCH_DIR)/user.ld
USER_RT_SRCS := $(addprefix user/lib/rt/,rt.c log.c cspace.c untyped.c vspace.c heap.c thread.c \
	module.c spawn.c arch/$(ARCH_DIR)/start.S) lib/fmt/fmt.c lib/string/mem.c lib/elf/load.c \
	$(TYPED_SRCS)
USER_PROGRAMS :=
USER_TEST_PROGRAMS :=
USER_TEST_FILES :=
USER_APPS :=

$(BUILD)/user/%.o: %.c $(HOST)/deps.ok
	$(call msg,CC,$< [user])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP $(CC_JSON) -c $< -o $@

$(BUILD)/user/%.o: %.S $(HOST)/deps.ok
	$(call msg,AS,$< [user])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

user_objs = $(patsubst %,$(BUILD)/user/%.o,$(basename $(1)))

# user_program(NAME, SOURCES[, SCHEMA]): $(BUILD)/user/NAME.elf, with the
# runtime and its debug information (for gdb), and
# $(BUILD)/user/modules/NAME.elf, the same program without it: the boot
# module (every byte of a module is copied into frames at boot).  With a
# SCHEMA (path/NAME_args.schema, lib/typed/README.md), its sources may
# include the header typedc makes of it: #include <NAME_args.h>.
define user_program
USER_PROGRAMS += $$(BUILD)/user/$(1).elf $$(BUILD)/user/modules/$(1).elf
$(if $(3),$(call typed_schema,$(3))
$$(call user_objs,$(2)): $(call typed_header,$(3)))
$$(BUILD)/user/$(1).elf: $$(call user_objs,$(2) $$(USER_RT_SRCS)) $$(USER_LDS)
	$$(call msg,LD,$$@)
	$$(Q)$$(LD) $$(USER_LDFLAGS) -T $$(USER_LDS) -o $$@ $$(call user_objs,$(2) $$(USER_RT_SRCS))
$$(BUILD)/user/modules/$(1).elf: $$(call user_objs,$(2) $$(USER_RT_SRCS)) $$(USER_LDS)
	$$(call msg,LD,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(LD) $$(USER_LDFLAGS) --strip-debug -T $$(USER_LDS) -o $$@ \
		$$(call user_objs,$(2) $$(USER_RT_SRCS))
endef

# user_test_program(NAME, SOURCES[, SCHEMA]): a program only the test
# kernel runs (user/tests/): on the test images only (mk/image.mk
# TEST_MODULES).
define user_test_program
$(call user_program,$(1),$(2),$(3))
USER_TEST_PROGRAMS += $(1)
endef

# user_test_file(NAME, PATH): a data file only the test images carry, as
# the boot module NAME (e.g. a startup description for init's test).
define user_test_file
USER_TEST_FILES += $(1)=$(2)
endef

# user_app(NAME, SOURCES[, SCHEMA]): a program in user/apps/NAME, on every
# image as the boot module NAME (init starts it if the startup description
# says so).
define user_app
$(call user_program,$(1),$(2),$(3))
USER_APPS += $(1)
endef

include $(sort $(wildcard user/*/build.mk) $(wildcard user/apps/*/build.mk))

.PHONY: user
user: $(USER_PROGRAMS)
