# User space: the runtime library and the programs (each program's folder
# has its own build.mk calling user_program).  Programs are static,
# freestanding ELF files linked at 4 MiB (user/lib/rt/arch/$(ARCH_DIR)/user.ld)
# until the executable format lands; they go on the image as boot modules.
#
# No red zone: the runtime's resume sequence pushes below a thread's stack.
# Floating point and SIMD are allowed: each dispatcher has its own registers
# (the kernel switches them with the dispatcher).
USER_CFLAGS := --target=x86_64-unknown-none-elf $(filter-out -mgeneral-regs-only,$(FREESTANDING)) \
	-O2 -g -fno-pic -fno-pie -Iuser/lib/rt/include
USER_LDFLAGS := -nostdlib -static --no-dynamic-linker -z max-page-size=0x1000 --build-id=none
USER_LDS := user/lib/rt/arch/$(ARCH_DIR)/user.ld
USER_RT_SRCS := user/lib/rt/rt.c user/lib/rt/log.c user/lib/rt/arch/$(ARCH_DIR)/start.S \
	lib/fmt/fmt.c lib/string/mem.c
USER_PROGRAMS :=
USER_TEST_PROGRAMS :=

$(BUILD)/user/%.o: %.c $(HOST)/deps.ok
	$(call msg,CC,$< [user])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP $(CC_JSON) -c $< -o $@

$(BUILD)/user/%.o: %.S $(HOST)/deps.ok
	$(call msg,AS,$< [user])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

user_objs = $(patsubst %,$(BUILD)/user/%.o,$(basename $(1)))

# user_program(NAME, SOURCES): $(BUILD)/user/NAME.elf, with the runtime.
define user_program
USER_PROGRAMS += $$(BUILD)/user/$(1).elf
$$(BUILD)/user/$(1).elf: $$(call user_objs,$(2) $$(USER_RT_SRCS)) $$(USER_LDS)
	$$(call msg,LD,$$@)
	$$(Q)$$(LD) $$(USER_LDFLAGS) -T $$(USER_LDS) -o $$@ $$(call user_objs,$(2) $$(USER_RT_SRCS))
endef

# user_test_program(NAME, SOURCES): a program only the test kernel runs
# (user/tests/): on the test images only (mk/image.mk TEST_MODULES).
define user_test_program
$(call user_program,$(1),$(2))
USER_TEST_PROGRAMS += $(1)
endef

include $(sort $(wildcard user/*/build.mk))

.PHONY: user
user: $(USER_PROGRAMS)
