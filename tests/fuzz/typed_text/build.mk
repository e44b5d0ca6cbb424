# lib/typed's configuration text parser and checker (tests/fuzz/typed_text).
$(eval $(call fuzz_target,typed_text,tests/host/typed/demo.c $(TYPED_SRCS) lib/fmt/fmt.c,\
	-Itests/host/typed,-dict=tests/fuzz/typed_text/typed_text.dict))
