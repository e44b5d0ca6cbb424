# ps2 (user/drivers/ps2): the PS/2 keyboard driver (user/README.md, "Drivers").
$(eval $(call user_app,ps2,user/drivers/ps2/main.c user/drivers/ps2/keymap.c,user/drivers/ps2/ps2.manifest))
