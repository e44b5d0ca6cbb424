# edu (user/drivers/edu): the PCI service's test driver, for QEMU's edu
# device (user/README.md, "Drivers").
$(eval $(call user_app,edu,user/drivers/edu/main.c,user/drivers/edu/edu.manifest))
