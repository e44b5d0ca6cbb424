# The file service (user/fs/README.md): lib/fat's file system in ring 3,
# files and directories as handles with rights over a channel.  On the
# boot disk it spawns the block driver (user/drivers/vblk) through the
# block service's client (user/drivers/blk); on the test images its volume
# is a RAM disk: the boot modules fsimage (a FAT32 image mkfs.fat and
# mcopy make, in sparse form) and fssums (cksum(1) of each file put on
# it), made by mkfsimage.sh.
FS_SRCS_USER := user/fs/main.c user/fs/fsrv.c user/fs/ramdisk.c user/fs/cksum.c user/fs/check.c \
	user/fs/disk.c user/fs/bench.c user/fs/fsdisk.c user/drivers/blk/blkclient.c \
	lib/fat/fs_vol.c lib/fat/fs_dir.c lib/fat/fs_file.c lib/fat/fs_rename.c lib/fat/fat.c \
	lib/fat/fat_name.c lib/fat/gpt.c lib/fat/crc32.c
$(eval $(call user_app,fs,$(FS_SRCS_USER),user/fs/fs.manifest))

FS_IMAGE := $(BUILD)/user/fs/fsimage
FS_SUMS := $(BUILD)/user/fs/fssums
FS_IMAGE_FILES := README.md config/motd.txt docs/tile.md lib/fat/fat.c
$(FS_IMAGE) $(FS_SUMS) &: user/fs/mkfsimage.sh $(FS_IMAGE_FILES) $(HOST)/bin/mksparse
	$(call msg,GEN,$(FS_IMAGE))
	$(Q)mkdir -p $(@D)
	$(Q)user/fs/mkfsimage.sh $(FS_IMAGE) $(FS_SUMS) $(HOST)/bin/mksparse
$(eval $(call user_test_file,fsimage,$(FS_IMAGE)))
$(eval $(call user_test_file,fssums,$(FS_SUMS)))
