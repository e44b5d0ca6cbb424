# lib/: freestanding code shared by host tools, loaders and kernel.
# LIB_SRCS build for every environment; a fragment picks what it links.
LIB_SRCS := lib/fmt/fmt.c lib/string/mem.c lib/json/json.c
LIB_SRCS += lib/fat/fat.c lib/fat/fat_name.c lib/fat/gpt.c lib/fat/crc32.c lib/fat/fat_write.c lib/fat/fat_write_dir.c lib/fat/gpt_write.c
LIB_SRCS += lib/urpc/urpc.c lib/urpc/test_seq.c
LIB_SRCS += lib/buddy/buddy.c
LIB_SRCS += lib/x86/pit.c lib/x86/uart.c
