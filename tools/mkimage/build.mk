# tools/mkimage: the disk image writer (GPT + FAT32 ESP), used by mk/image.mk:
#   $(MKIMAGE) --out FILE --seed STRING [--size MIB] --file /ESP/PATH=HOSTFILE ...
#              [--dir /ESP/PATH] [--mbr MBR.BIN] [--stage STAGE.BIN]
MKIMAGE := $(HOST)/bin/mkimage
FAT_WRITE_SRCS := lib/fat/fat_write.c lib/fat/fat_write_dir.c lib/fat/fat_name.c \
	lib/fat/gpt_write.c lib/fat/gpt.c lib/fat/crc32.c lib/string/mem.c
MKIMAGE_SRCS := tools/mkimage/main.c tools/mkimage/tree.c tools/mkimage/build.c \
	tools/mkimage/output.c \
	$(FAT_WRITE_SRCS)
$(eval $(call host_tool,mkimage,$(MKIMAGE_SRCS)))
