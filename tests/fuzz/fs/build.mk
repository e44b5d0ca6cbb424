# The FAT32 file system that changes volumes (lib/fat/fs_*.c) on a damaged
# volume: operations from the input over a sparse disk with a write overlay.
$(eval $(call fuzz_target,fs,lib/fat/fs_vol.c lib/fat/fs_dir.c lib/fat/fs_file.c \
	lib/fat/fs_rename.c lib/fat/fat.c lib/fat/fat_name.c lib/string/mem.c $(FUZZ_SPARSE)))
