# The terminal (user/apps/terminal): lib/term in a window of its own; its
# console byte stream (console.c) is where the shell attaches.
include user/desktop/client/wclient.mk
$(call wclient_cflags,terminal)
$(eval $(call user_program,terminal,$(addprefix user/apps/terminal/,main.c console.c) \
	$(TERM_SRCS) $(WCLIENT_SRCS),user/apps/terminal/terminal.manifest))
