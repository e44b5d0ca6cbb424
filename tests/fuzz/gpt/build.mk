# GPT reading (lib/fat/gpt.c) over a sparse disk, then a FAT32 mount of the ESP.
$(eval $(call fuzz_target,gpt,lib/fat/gpt.c lib/fat/crc32.c lib/fat/fat.c lib/fat/fat_name.c \
	lib/string/mem.c $(FUZZ_SPARSE)))
