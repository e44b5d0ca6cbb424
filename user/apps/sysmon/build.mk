# The system monitor (user/apps/sysmon): per-core load, messages between
# cores and memory, a window client asking init (wctl.h).
include user/desktop/client/wclient.mk
$(call wclient_cflags,sysmon)
$(eval $(call user_program,sysmon,user/apps/sysmon/main.c $(WCLIENT_SRCS) $(WCTL_SRCS), \
	user/apps/sysmon/sysmon.manifest))
