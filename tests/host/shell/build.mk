# Host tests for lib/shell over tshell's fixtures: the language and its
# errors (test_lang), plans, running and formatting (test_run), the line
# editor and completion (test_edit).
SHELL_TEST_LIB := tests/host/shell/util.c $(TSHELL_FIXTURES) $(SHELL_SRCS) $(TYPED_SRCS) lib/fmt/fmt.c
$(eval $(call host_test,test_shell_lang,tests/host/shell/test_lang.c $(SHELL_TEST_LIB)))
$(eval $(call host_test,test_shell_run,tests/host/shell/test_run.c $(SHELL_TEST_LIB)))
$(eval $(call host_test,test_shell_edit,tests/host/shell/test_edit.c $(SHELL_TEST_LIB)))
$(HOST)/san/tests/host/shell/%.o: HOST_EXTRA_CFLAGS += -Itools/tshell
# Command libraries from tiles (lib/shell/cmdlib.c) made by the tile tool's
# writer, good and bad.
$(eval $(call host_test,test_shell_cmdlib,tests/host/shell/test_cmdlib.c $(SHELL_TEST_LIB) \
	$(SHELL_CMDLIB_SRCS) $(SHELL_TILE_SRCS) tools/tile/write.c tools/tile/types.c \
	tools/typedc/schema.c))
# The names the command libraries print (user/shlib/names.c): PCI classes,
# GPT types and GUIDs against tables sfdisk writes, sizes.
$(eval $(call host_test,test_shlib_names,tests/host/shell/test_shlib_names.c user/shlib/names.c \
	tests/host/fat/fat_test.c lib/fmt/fmt.c lib/string/mem.c))
