# lib/shell: the shell's language, checker, planner, interpreter, formatting
# and line editor (freestanding; host tools, tests and user programs link
# it with lib/typed and lib/fmt).  Included by tools/tshell/build.mk.
SHELL_SRCS := $(addprefix lib/shell/,lex.c parse.c types.c check.c call.c stmt.c run.c value.c \
	format.c text.c std.c complete.c edit.c)
# Command libraries from tiles (cmdlib.c, docs/tile.md §16): with lib/tile
# (a user program has lib/tile in its runtime already).
SHELL_CMDLIB_SRCS := lib/shell/cmdlib.c
SHELL_TILE_SRCS := lib/tile/tile.c lib/tile/reloc.c lib/tile/types.c lib/string/mem.c
