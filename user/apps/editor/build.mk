# The text editor (user/apps/editor): lib/ui's multi-line text field in a
# window of its own; its file through the file service (file.h, wctl.h).
include user/desktop/client/wclient.mk
$(call wclient_cflags,editor)
$(eval $(call user_program,editor,$(addprefix user/apps/editor/,main.c file.c) \
	$(WCLIENT_SRCS) $(WCTL_SRCS),user/apps/editor/editor.manifest))
