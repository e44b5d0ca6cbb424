# compile_commands.json for clangd and other tools: the compile command of
# every C file of the current configuration (the test kernel, which is the
# kernel plus its tests; both loader front ends; the host tools; the host
# tests), as make ran it.  Each C compile rule writes its command beside the
# object with clang -MJ (CC_JSON, mk/rules.mk); this joins them.  A source
# compiled in several environments (lib/) has one entry per environment,
# the freestanding one first.
CDB_OBJS = $(sort $(call kernel_objs,$(filter %.c,$(KERNEL_SRCS) $(KERNEL_TEST_ONLY) $(KERNEL_FONT_C)))) \
	$(sort $(call uefi_objs,$(filter %.c,$(UEFI_SRCS)))) \
	$(sort $(patsubst %.c,$(BIOS_DIR)/obj/%.o,$(filter %.c,$(BIOS_SRCS)))) \
	$(sort $(HOST_TOOL_OBJS)) $(sort $(HOST_TEST_OBJS))

# An object built before its rule wrote the .json is built again, once.
compile_commands.json: $(CDB_OBJS) FORCE
	$(Q)stale=; for o in $(CDB_OBJS); do [ -f $$o.json ] || stale="$$stale $$o"; done; \
	if [ -n "$$stale" ]; then \
		rm -f $$stale && exec $(MAKE) --no-print-directory compile_commands.json; \
	fi; \
	printf '  %-7s %s\n' GEN $@; \
	{ echo '['; cat $(addsuffix .json,$(CDB_OBJS)) | sed '$$ s/,[[:space:]]*$$//'; echo ']'; } \
		> $@.tmp && mv -f $@.tmp $@
