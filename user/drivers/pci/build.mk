# pci (user/drivers/pci): the PCI service; enumerates the buses and prints
# the devices (user/README.md, "Drivers").
$(eval $(call user_app,pci,user/drivers/pci/main.c user/drivers/pci/config.c user/drivers/pci/serve.c,user/drivers/pci/pci.manifest))
