# tools/tshell: lib/shell on the host over fixture commands (a REPL, -c
# LINE, or a script file); --lib TILE adds a command library's signatures.  Built with the host tests so it never rots.
include lib/shell/build.mk
TSHELL := $(HOST)/bin/tshell
TSHELL_FIXTURES := tools/tshell/fixtures.c
$(eval $(call host_tool,tshell,tools/tshell/main.c $(TSHELL_FIXTURES) $(SHELL_SRCS) $(TYPED_SRCS) \
	$(SHELL_CMDLIB_SRCS) $(SHELL_TILE_SRCS) lib/fmt/fmt.c))
host-tests: $(TSHELL)
