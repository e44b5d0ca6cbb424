# FAT32 reading (lib/fat/fat.c, fat_name.c) over a sparse disk.
$(eval $(call fuzz_target,fat,lib/fat/fat.c lib/fat/fat_name.c lib/string/mem.c $(FUZZ_SPARSE)))
