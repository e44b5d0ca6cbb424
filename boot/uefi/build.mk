# The UEFI loader: $(BUILD)/BOOTX64.EFI, a PE32+ EFI application (clang
# --target=x86_64-unknown-windows, lld-link; reproducible: /Brepro
# /timestamp:0 in EFI_LDFLAGS).  It links the common loader and the
# freestanding readers of lib/ (not the image writer's half of lib/fat).

UEFI_SRCS := $(wildcard boot/uefi/*.c) \
	$(wildcard boot/common/*.c boot/common/arch/x86_64/*.c boot/common/arch/x86_64/*.S) \
	$(filter-out $(wildcard lib/fat/*write*.c),$(wildcard lib/fat/*.c)) lib/elf/load.c \
	lib/fmt/fmt.c lib/string/mem.c lib/x86/pit.c lib/x86/uart.c
UEFI_OBJS := $(call uefi_objs,$(UEFI_SRCS))

$(BUILD)/BOOTX64.EFI: $(UEFI_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(LLD_LINK) $(EFI_LDFLAGS) /out:$@ $(UEFI_OBJS)

.PHONY: uefi
uefi: $(BUILD)/BOOTX64.EFI
