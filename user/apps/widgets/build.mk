# The widget demo (user/apps/widgets): a window client of the desktop.
include user/desktop/client/wclient.mk
$(call wclient_cflags,widgets)
$(eval $(call user_program,widgets,user/apps/widgets/main.c $(WCLIENT_SRCS),user/apps/widgets/widgets.manifest))
