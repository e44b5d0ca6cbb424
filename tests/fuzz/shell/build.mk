# lib/shell's lexer, parser, checker and line editor (tests/fuzz/shell).
$(eval $(call fuzz_target,shell,$(TSHELL_FIXTURES) $(SHELL_SRCS) $(TYPED_SRCS) lib/fmt/fmt.c,\
	-Itools/tshell,-dict=tests/fuzz/shell/shell.dict))
