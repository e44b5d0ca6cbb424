# shell (user/shell): lib/shell on the serial console, with the system's
# commands (user/README.md, "The shell").
SHELL_PROG_SRCS := user/shell/main.c user/shell/console.c user/shell/system.c user/shell/files.c \
	$(SHELL_SRCS)
$(eval $(call user_app,shell,$(SHELL_PROG_SRCS),user/shell/shell.manifest))
