# The shell's command libraries (user/shlib, docs/tile.md §16): library
# tiles with a commands section, on every image as boot modules the shell
# loads (README "The shell").  A library has no runtime: its code, the
# helpers in common.c, lib/fmt and lib/string, compiled -fPIC with hidden
# visibility so that the only global symbols are its commands' functions
# (SHLIB_CMD); anything it would import is an error of the tile tool.
SHLIB_CFLAGS := $(USER_CFLAGS) -fPIC -fvisibility=hidden
SHLIB_COMMON := user/shlib/common.c lib/fmt/fmt.c lib/string/mem.c

$(BUILD)/user/shlib-obj/%.o: %.c $(HOST)/deps.ok $(USER_CFLAGS_STAMP)
	$(call msg,CC,$< [shlib])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(SHLIB_CFLAGS) -MMD -MP $(CC_JSON) -c $< -o $@

# shlib_library(NAME, SOURCES, MANIFEST): $(BUILD)/user/NAME.so and the
# boot module NAME ($(BUILD)/user/modules/NAME.tile); the manifest names the
# commands schema beside it.
define shlib_library
USER_PROGRAMS += $$(BUILD)/user/$(1).so $$(BUILD)/user/modules/$(1).tile
USER_APPS += $(1)
$$(BUILD)/user/$(1).so: $$(call user_objs,$(2) $$(SHLIB_COMMON),shlib-obj/) $$(USER_LDS)
	$$(call msg,LD,$$@)
	$$(Q)$$(LD) $$(USER_LDFLAGS) -shared -soname $(1) -e 0 -T $$(USER_LDS) -o $$@ \
		$$(call user_objs,$(2) $$(SHLIB_COMMON),shlib-obj/)
$$(BUILD)/user/modules/$(1).tile: $$(BUILD)/user/$(1).so $(3) $$(dir $(3))*.schema $$(TILE)
	$$(call msg,TILE,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(TILE) convert $$< $(3) $$@ --symbols
endef

$(eval $(call shlib_library,libsys,user/shlib/sys/system.c user/shlib/names.c,user/shlib/sys/sys.manifest))
$(eval $(call shlib_library,libfiles,user/shlib/files/files.c user/shlib/names.c,user/shlib/files/files.manifest))
