# serial (user/drivers/serial): the COM1 console driver (user/README.md, "Drivers").
$(eval $(call user_app,serial,user/drivers/serial/main.c,user/drivers/serial/serial.manifest))
