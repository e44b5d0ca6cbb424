# The BIOS loader: the MBR and the stage it loads (boot/bios/).
#   $(BUILD)/bios/mbr.bin    MBR code, 0x1AC bytes (the image writer patches
#                            the stage's LBA and length after it)
#   $(BUILD)/bios/stage.bin  flat stage image, loaded at 0x8000
#   $(BUILD)/bios/stage.elf  the same with symbols, for gdb
# Both go on every disk image, so one image boots under SeaBIOS and OVMF.

BIOS_DIR := $(BUILD)/bios
BIOS_MBR := $(BIOS_DIR)/mbr.bin
BIOS_STAGE := $(BIOS_DIR)/stage.bin

# 64-bit C of the stage: linked at 0x8000, so the small code model; no SSE
# (the stage never enables it).
BIOS_CFLAGS := --target=x86_64-unknown-none-elf $(FREESTANDING) -Os -g -fno-pic -fno-pie \
	-mcmodel=small -fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections \
	-Iboot/common -Iboot/common/arch/x86_64 -Iboot/bios
BIOS_LDFLAGS := -nostdlib -static --no-dynamic-linker --build-id=none --gc-sections \
	-z noexecstack

# The stage links the common loader and the freestanding readers of lib/
# (not the image writer's half of lib/fat).
BIOS_SRCS := $(filter-out boot/bios/mbr.S,$(wildcard boot/bios/*.c boot/bios/*.S)) \
	$(wildcard boot/common/*.c boot/common/arch/x86_64/*.c boot/common/arch/x86_64/*.S) \
	$(filter-out $(wildcard lib/fat/*write*.c),$(wildcard lib/fat/*.c)) $(wildcard lib/elf/*.c) \
	lib/fmt/fmt.c lib/string/mem.c lib/x86/pit.c lib/x86/uart.c
BIOS_OBJS := $(patsubst %,$(BIOS_DIR)/obj/%.o,$(basename $(BIOS_SRCS)))

$(BIOS_DIR)/obj/%.o: %.c $(HOST)/deps.ok
	$(call msg,CC,$< [bios])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BIOS_CFLAGS) -MMD -MP $(CC_JSON) -c $< -o $@

$(BIOS_DIR)/obj/%.o: %.S $(HOST)/deps.ok
	$(call msg,AS,$< [bios])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BIOS_CFLAGS) -MMD -MP -c $< -o $@

# Each image is linked twice: an ELF with symbols for gdb, and the flat
# binary (ld.lld --oformat binary) that goes on the disk.
$(BIOS_MBR): $(BIOS_DIR)/obj/boot/bios/mbr.o boot/bios/mbr.ld
	$(call msg,LD,$@)
	$(Q)$(LD) $(BIOS_LDFLAGS) -T boot/bios/mbr.ld $< -o $(@:.bin=.elf)
	$(Q)$(LD) $(BIOS_LDFLAGS) -T boot/bios/mbr.ld $< --oformat binary -o $@

$(BIOS_STAGE): $(BIOS_OBJS) boot/bios/stage.ld
	$(call msg,LD,$@)
	$(Q)$(LD) $(BIOS_LDFLAGS) -T boot/bios/stage.ld $(BIOS_OBJS) -o $(@:.bin=.elf)
	$(Q)$(LD) $(BIOS_LDFLAGS) -T boot/bios/stage.ld $(BIOS_OBJS) --oformat binary -o $@

.PHONY: bios
bios: $(BIOS_MBR) $(BIOS_STAGE)

# Every image carries the BIOS boot code (mkimage --mbr/--stage).
IMAGE_EXTRA_ARGS += --mbr $(BIOS_MBR) --stage $(BIOS_STAGE)
$(BUILD)/disk.img $(BUILD)/test.img: $(BIOS_MBR) $(BIOS_STAGE)
