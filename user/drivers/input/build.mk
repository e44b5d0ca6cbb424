# inputmon (user/drivers/input): a subscriber to the input streams that
# prints every event (user/README.md, "Input").
$(eval $(call user_app,inputmon,user/drivers/input/main.c,user/drivers/input/inputmon.manifest))
