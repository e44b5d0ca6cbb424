# vblk (user/drivers/vblk): the virtio-blk driver, a block service
# (user/drivers/blk/blkproto.h) for the file service, which spawns it.
$(eval $(call user_app,vblk,user/drivers/vblk/main.c user/drivers/vblk/virtio.c user/drivers/blk/blkdrv.c,user/drivers/vblk/vblk.manifest))
