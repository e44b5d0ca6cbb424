# lib/: freestanding code shared by host tools, loaders and kernel.
# LIB_SRCS build for every environment; a fragment picks what it links.
LIB_SRCS := lib/fmt/fmt.c lib/string/mem.c lib/json/json.c
LIB_SRCS += lib/fat/fat.c lib/fat/fat_name.c lib/fat/gpt.c lib/fat/crc32.c lib/fat/fat_write.c lib/fat/fat_write_dir.c lib/fat/gpt_write.c
LIB_SRCS += lib/urpc/urpc.c lib/urpc/test_seq.c
LIB_SRCS += lib/buddy/buddy.c
LIB_SRCS += lib/x86/pit.c lib/x86/uart.c
# lib/typed: typed values (types, configuration text, command lines,
# messages); host tools and user programs link all of it with lib/fmt.
TYPED_SRCS := $(addprefix lib/typed/,typed.c scalar.c text.c check.c desc.c bin.c cmdline.c \
	print.c)
LIB_SRCS += $(TYPED_SRCS)
include $(sort $(wildcard lib/*/build.mk))
