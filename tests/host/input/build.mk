# Host tests of ps2's decoders (user/drivers/ps2: keymap.c, mouse.c).
$(eval $(call host_test,test_ps2,tests/host/input/test_ps2.c user/drivers/ps2/keymap.c \
	user/drivers/ps2/mouse.c))
