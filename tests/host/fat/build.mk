# Host tests for lib/fat (FAT32 and GPT, reading and writing) and
# tools/mkimage.  They shell out to mkfs.fat, mtools, fsck.fat and sfdisk
# (see mk/deps.sh) and work in a private directory under /tmp.
FAT_READ_SRCS := lib/fat/fat.c lib/fat/fat_name.c lib/string/mem.c
FAT_TEST_SRCS := tests/host/fat/fat_test.c

$(eval $(call host_test,test_fat_read,tests/host/fat/test_fat_read.c $(FAT_TEST_SRCS) \
	$(FAT_READ_SRCS)))
$(eval $(call host_test,test_gpt,tests/host/fat/test_gpt.c $(FAT_TEST_SRCS) \
	lib/fat/gpt.c lib/fat/gpt_write.c lib/fat/crc32.c lib/string/mem.c))
$(eval $(call host_test,test_fat_write,tests/host/fat/test_fat_write.c $(FAT_TEST_SRCS) \
	$(FAT_READ_SRCS) lib/fat/fat_write.c lib/fat/fat_write_dir.c))
$(eval $(call host_test,test_mkimage,tests/host/fat/test_mkimage.c $(FAT_TEST_SRCS) \
	$(FAT_READ_SRCS) lib/fat/gpt.c lib/fat/crc32.c))
# The end-to-end test runs the tool it tests.
$(HOST)/tests/test_mkimage: | $(MKIMAGE)
# The file system that changes volumes (lib/fat/fs_*.c): a scripted
# sequence checked by fsck.fat and mtools, cut after every write.
FS_SRCS := lib/fat/fs_vol.c lib/fat/fs_dir.c lib/fat/fs_file.c lib/fat/fs_rename.c
$(eval $(call host_test,test_fs,tests/host/fat/test_fs.c tests/host/fat/fs_script.c \
	$(FAT_TEST_SRCS) $(FAT_READ_SRCS) $(FS_SRCS)))
# The file service's core (user/fs) over its RAM disk and test volume.
$(eval $(call host_test,test_fsrv,tests/host/fat/test_fsrv.c user/fs/fsrv.c user/fs/ramdisk.c user/fs/fsdisk.c \
	user/fs/cksum.c lib/fat/gpt.c lib/fat/crc32.c $(FAT_TEST_SRCS) $(FAT_READ_SRCS) $(FS_SRCS)))
$(HOST)/tests/test_fsrv: | $(HOST)/bin/mksparse
