# shell (user/shell): lib/shell on the serial console, with the system's
# commands from the command libraries (user/shlib; user/README.md, "The shell").
SHELL_PROG_SRCS := user/shell/main.c user/shell/console.c user/shell/libs.c user/shell/paths.c \
	$(SHELL_SRCS) \
	$(SHELL_CMDLIB_SRCS)
$(eval $(call user_app,shell,$(SHELL_PROG_SRCS),user/shell/shell.manifest))
