# Host tests for lib/shell over tshell's fixtures: the language and its
# errors (test_lang), plans, running and formatting (test_run), the line
# editor and completion (test_edit).
SHELL_TEST_LIB := tests/host/shell/util.c $(TSHELL_FIXTURES) $(SHELL_SRCS) $(TYPED_SRCS) lib/fmt/fmt.c
$(eval $(call host_test,test_shell_lang,tests/host/shell/test_lang.c $(SHELL_TEST_LIB)))
$(eval $(call host_test,test_shell_run,tests/host/shell/test_run.c $(SHELL_TEST_LIB)))
$(eval $(call host_test,test_shell_edit,tests/host/shell/test_edit.c $(SHELL_TEST_LIB)))
$(HOST)/san/tests/host/shell/%.o: HOST_EXTRA_CFLAGS += -Itools/tshell
