# lib/shell: the shell's language, checker, planner, interpreter, formatting
# and line editor (freestanding; host tools, tests and user programs link
# it with lib/typed and lib/fmt).  Included by tools/tshell/build.mk.
SHELL_SRCS := $(addprefix lib/shell/,lex.c parse.c types.c check.c call.c stmt.c run.c value.c \
	format.c text.c std.c complete.c edit.c)
