# User space: the runtime library and the programs (each program's folder
# has its own build.mk calling user_program).  Programs are tiles
# (docs/tile.md): lld links a position-independent ELF at 0
# (user/lib/rt/arch/$(ARCH_DIR)/tile.ld, -pie), and the tile tool turns it
# and the program's manifest into the tile that goes on the image as a boot
# module.  Static linking is the default; a library (user_library) is
# linked -shared and programs that import from it name it (user_dynamic).
#
# The runtime: start-up and upcalls, log, slots, untyped, address space and
# lazy mapping, heap, threads, modules, spawn (user/README.md); sections
# the program does not use are left out (--gc-sections).  The runtime never
# writes below a thread's stack pointer (no red zone is needed, none is
# used).  Floating point and SIMD are allowed: each dispatcher has its own
# registers (the kernel switches them with the dispatcher).
USER_CFLAGS := --target=x86_64-unknown-none-elf $(filter-out -mgeneral-regs-only,$(FREESTANDING)) -O2 -g -fPIE -fno-direct-access-external-data \
	-ffunction-sections -fdata-sections \
	-Iuser/lib/rt/include -Iuser/lib/rt/arch/$(ARCH_DIR)/include -I$(TYPED_GEN)
USER_LDFLAGS := -nostdlib --no-dynamic-linker -z max-page-size=0x1000 --build-id=sha1 \
	--gc-sections -z text -z now --hash-style=gnu
USER_LDS := user/lib/rt/arch/$(ARCH_DIR)/tile.ld
# The old way, for comparison (bench): a static ELF at 4 MiB from the same
# objects.
USER_ELF_LDS := user/lib/rt/arch/$(ARCH_DIR)/user.ld
USER_RT_SRCS := $(addprefix user/lib/rt/,rt.c log.c cspace.c untyped.c vspace.c heap.c thread.c chan.c \
	module.c spawn.c image.c image_link.c grants.c args.c device.c service.c pci.c iommu.c input.c arch/$(ARCH_DIR)/start.S) lib/fmt/fmt.c \
	lib/string/mem.c lib/elf/load.c lib/tile/tile.c lib/tile/reloc.c lib/tile/link.c lib/tile/types.c \
	lib/urpc/urpc.c \
	$(TYPED_SRCS)
USER_PROGRAMS :=
USER_TEST_PROGRAMS :=
USER_TEST_FILES :=
USER_APPS :=

# The objects depend on the flags they were built with (a change of flags,
# e.g. -fno-pie to -fPIE, rebuilds them): a stamp rewritten only when they
# change.
USER_CFLAGS_STAMP := $(BUILD)/user/cflags
ifdef NEED_CONFIG
$(shell mkdir -p $(BUILD)/user; [ "$$(cat $(USER_CFLAGS_STAMP) 2>/dev/null)" = '$(USER_CFLAGS)' ] || \
	printf '%s\n' '$(USER_CFLAGS)' > $(USER_CFLAGS_STAMP))
endif

$(BUILD)/user/%.o: %.c $(HOST)/deps.ok $(USER_CFLAGS_STAMP)
	$(call msg,CC,$< [user])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP $(CC_JSON) -c $< -o $@

$(BUILD)/user/%.o: %.S $(HOST)/deps.ok $(USER_CFLAGS_STAMP)
	$(call msg,AS,$< [user])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

user_objs = $(patsubst %,$(BUILD)/user/$(2)%.o,$(basename $(1)))

# Library code is compiled for a shared object (-fPIC).
$(BUILD)/user/pic/%.o: %.c $(HOST)/deps.ok $(USER_CFLAGS_STAMP)
	$(call msg,CC,$< [user pic])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -fPIC -MMD -MP $(CC_JSON) -c $< -o $@

# A program without a manifest of its own gets one that names it and
# grants nothing ($(BUILD)/user/NAME.manifest).
$(BUILD)/user/%.manifest:
	$(Q)mkdir -p $(@D)
	$(Q)printf 'program %s 1.0\n' '$*' > $@

# The schemas a manifest names (`args SCHEMA`, `config SCHEMA`, relative to
# its folder; docs/tile.md §13): the one source of a program's argument and
# configuration types.  typedc makes each one's header (<NAME.h>, the struct
# the program reads) and tools/tile puts its descriptor in the tile (what
# the spawner checks), so the two cannot drift.
user_schemas = $(if $(wildcard $(1)),$(addprefix $(dir $(1)),$(shell sed -n \
	's/^[[:space:]]*\(args\|config\)[[:space:]]\{1,\}\([^[:space:]#]\{1,\}\).*/\2/p' $(1))))

# user_schema(SOURCES, SCHEMA): SCHEMA's header, made before SOURCES compile.
define user_schema
$(call typed_schema,$(2))
$(call user_objs,$(1)): $(call typed_header,$(2))
endef

# user_program(NAME, SOURCES[, MANIFEST[, LIBRARIES]]):
# $(BUILD)/user/NAME.elf, lld's position-independent output with the
# runtime and its debug information (for gdb), and
# $(BUILD)/user/modules/NAME.tile, the tile made from it and MANIFEST
# (default: one that grants nothing) with its symbol table: the boot
# module.  LIBRARIES: names of user_library libraries it imports from
# (dynamic linking; static is the default).  The schemas MANIFEST names
# (path/NAME_args.schema, lib/typed/README.md) go into the tile, and its
# sources may include the header typedc makes of each: #include <NAME_args.h>.
define user_program
USER_PROGRAMS += $$(BUILD)/user/$(1).elf $$(BUILD)/user/modules/$(1).tile
USER_MANIFEST_$(1) := $(or $(3),$$(BUILD)/user/$(1).manifest)
USER_SCHEMAS_$(1) := $(call user_schemas,$(3))
$$(foreach s,$$(USER_SCHEMAS_$(1)),$$(eval $$(call user_schema,$(2),$$(s))))
$$(BUILD)/user/$(1).elf: $$(call user_objs,$(2) $$(USER_RT_SRCS)) $$(USER_LDS) \
		$(foreach l,$(4),$$(BUILD)/user/lib$(l).so)
	$$(call msg,LD,$$@)
	$$(Q)$$(LD) $$(USER_LDFLAGS) -pie -T $$(USER_LDS) -o $$@ \
		$$(call user_objs,$(2) $$(USER_RT_SRCS)) $(foreach l,$(4),$$(BUILD)/user/lib$(l).so)
$$(BUILD)/user/modules/$(1).tile: $$(BUILD)/user/$(1).elf $$(USER_MANIFEST_$(1)) $$(TILE) \
		$$(USER_SCHEMAS_$(1))
	$$(call msg,TILE,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(TILE) convert $$< $$(USER_MANIFEST_$(1)) $$@ --symbols
endef

# user_library(NAME, SOURCES, MANIFEST): $(BUILD)/user/libNAME.so (lld
# -shared, -fPIC, no runtime: a library holds code and data of its own)
# and $(BUILD)/user/modules/NAME.tile, the boot module NAME.
define user_library
USER_PROGRAMS += $$(BUILD)/user/lib$(1).so $$(BUILD)/user/modules/$(1).tile
$$(BUILD)/user/lib$(1).so: $$(call user_objs,$(2),pic/) $$(USER_LDS)
	$$(call msg,LD,$$@)
	$$(Q)$$(LD) $$(USER_LDFLAGS) -shared -soname $(1) -e 0 -T $$(USER_LDS) -o $$@ \
		$$(call user_objs,$(2),pic/)
$$(BUILD)/user/modules/$(1).tile: $$(BUILD)/user/lib$(1).so $(3) $$(TILE)
	$$(call msg,TILE,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(TILE) convert $$< $(3) $$@ --symbols
endef

# user_elf_program(NAME, SOURCES): $(BUILD)/user/modules/NAME.elf, a static
# ELF at 4 MiB the old way (stripped), for comparisons (make bench).
define user_elf_program
USER_PROGRAMS += $$(BUILD)/user/modules/$(1).elf
$$(BUILD)/user/modules/$(1).elf: $$(call user_objs,$(2) $$(USER_RT_SRCS)) $$(USER_ELF_LDS)
	$$(call msg,LD,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(LD) -nostdlib -static --no-dynamic-linker -z max-page-size=0x1000 --gc-sections \
		--build-id=none --strip-debug -T $$(USER_ELF_LDS) -o $$@ \
		$$(call user_objs,$(2) $$(USER_RT_SRCS))
endef

# user_test_program(NAME, SOURCES[, MANIFEST[, LIBRARIES]]): a program only
# the test kernel runs (user/tests/): on the test images only (mk/image.mk
# TEST_MODULES).
define user_test_program
$(call user_program,$(1),$(2),$(3),$(4))
USER_TEST_PROGRAMS += $(1)
endef

# user_test_library(NAME, SOURCES, MANIFEST): a library on the test images.
define user_test_library
$(call user_library,$(1),$(2),$(3))
USER_TEST_PROGRAMS += $(1)
endef

# user_test_file(NAME, PATH): a data file only the test images carry, as
# the boot module NAME (e.g. a startup description for init's test).
define user_test_file
USER_TEST_FILES += $(1)=$(2)
endef

# user_app(NAME, SOURCES[, MANIFEST[, LIBRARIES]]): a program in user/apps/NAME, on every
# image as the boot module NAME (init starts it if the startup description
# says so).
define user_app
$(call user_program,$(1),$(2),$(3),$(4))
USER_APPS += $(1)
endef

include $(sort $(wildcard user/*/build.mk) $(wildcard user/apps/*/build.mk) \
	$(wildcard user/drivers/*/build.mk))

.PHONY: user
user: $(USER_PROGRAMS)
