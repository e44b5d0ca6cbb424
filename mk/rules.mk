# Pattern rules: one object tree per target environment, so the same lib/
# source builds for the host, the kernel and the UEFI loader side by side.
#   $(HOST)/obj/...     host tools (optimised)
#   $(HOST)/san/...     host tests (ASan + UBSan)
#   $(BUILD)/kernel/... freestanding kernel code (ELF, kernel code model)
#   $(BUILD)/uefi/...   freestanding UEFI loader code (PE/COFF, MS ABI)
# -MMD writes a .d file beside each object; they are included at the end.
# CC_JSON (-MJ) writes a C file's compile command beside its object, as a
# compilation database entry (OBJECT.json), for `make compile_commands.json`.
CC_JSON = -MJ $@.json

# The kernel's compiler and linker flags, rewritten (at parse time) only when
# they change: kernel objects depend on it, so a change of code model or
# flags (e.g. -fpie) rebuilds them instead of linking stale ones.
KERNEL_FLAGS_STAMP := $(BUILD)/kernel/flags.txt
ifdef NEED_CONFIG
$(shell mkdir -p $(BUILD)/kernel; [ "$$(cat $(KERNEL_FLAGS_STAMP) 2>/dev/null)" = '$(KERNEL_CFLAGS) | $(KERNEL_LDFLAGS)' ] || \
	printf '%s\n' '$(KERNEL_CFLAGS) | $(KERNEL_LDFLAGS)' > $(KERNEL_FLAGS_STAMP))
endif

$(HOST)/obj/%.o: %.c $(HOST)/deps.ok
	$(call msg,HOSTCC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_EXTRA_CFLAGS) -MMD -MP $(CC_JSON) -c $< -o $@

$(HOST)/san/%.o: %.c $(HOST)/deps.ok
	$(call msg,HOSTCC,$< [san])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HOST_TEST_CFLAGS) $(HOST_EXTRA_CFLAGS) -MMD -MP $(CC_JSON) -c $< -o $@

$(BUILD)/kernel/%.o: %.c $(HOST)/deps.ok $(KERNEL_FLAGS_STAMP)
	$(call msg,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -MMD -MP $(CC_JSON) -c $< -o $@

$(BUILD)/kernel/%.o: %.S $(HOST)/deps.ok $(KERNEL_FLAGS_STAMP)
	$(call msg,AS,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/uefi/%.o: %.c $(HOST)/deps.ok
	$(call msg,CC,$< [efi])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(EFI_CFLAGS) -MMD -MP $(CC_JSON) -c $< -o $@

$(BUILD)/uefi/%.o: %.S $(HOST)/deps.ok
	$(call msg,AS,$< [efi])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(EFI_CFLAGS) -MMD -MP -c $< -o $@

# Helpers for fragments: object lists for a list of sources.
host_objs = $(patsubst %.c,$(HOST)/obj/%.o,$(1))
san_objs = $(patsubst %.c,$(HOST)/san/%.o,$(1))
kernel_objs = $(patsubst %,$(BUILD)/kernel/%.o,$(basename $(1)))
uefi_objs = $(patsubst %,$(BUILD)/uefi/%.o,$(basename $(1)))

-include $(shell find build -name '*.d' 2>/dev/null)
