# ahci (user/drivers/ahci): the AHCI driver (q35's ICH9 SATA controller), a
# block service (user/drivers/blk/blkproto.h) for the file service, which
# spawns it.
$(eval $(call user_app,ahci,user/drivers/ahci/main.c user/drivers/ahci/hba.c user/drivers/blk/blkdrv.c,user/drivers/ahci/ahci.manifest))
