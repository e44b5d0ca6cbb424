# ps2 (user/drivers/ps2): the PS/2 keyboard and mouse driver (user/README.md, "Drivers").
$(eval $(call user_app,ps2,user/drivers/ps2/main.c user/drivers/ps2/keymap.c user/drivers/ps2/mouse.c user/drivers/ps2/i8042.c,user/drivers/ps2/ps2.manifest))
