# The file browser (user/apps/files): a directory of the boot disk in a
# window of its own, through the file service (wctl.h).
include user/desktop/client/wclient.mk
$(call wclient_cflags,files)
$(eval $(call user_program,files,user/apps/files/main.c $(WCLIENT_SRCS) $(WCTL_SRCS), \
	user/apps/files/files.manifest))
