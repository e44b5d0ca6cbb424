# lib/typed's command-line parser (tests/fuzz/typed_cmdline).
$(eval $(call fuzz_target,typed_cmdline,tests/host/typed/demo.c $(TYPED_SRCS) lib/fmt/fmt.c,\
	-Itests/host/typed,-dict=tests/fuzz/typed_cmdline/typed_cmdline.dict))
