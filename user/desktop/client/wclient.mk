# The window clients' library (user/desktop/client): each client's build.mk
# includes this file (user/apps/ build files are read before user/desktop's)
# and links WCLIENT_SRCS; its objects see the library as <wclient.h>.
WCLIENT_SRCS := user/desktop/client/wclient.c user/desktop/client/wfont.c \
	$(GFX_SRCS) $(FONT_SRCS) $(UI_SRCS)
# A client's own channel to init (wctl.h: statistics, files), for those
# that ask init's service `control`.
WCTL_SRCS := user/desktop/client/wctl.c
wclient_cflags = $(eval $(BUILD)/user/user/apps/$(1)/%.o: USER_CFLAGS += -Iuser/desktop/client)
