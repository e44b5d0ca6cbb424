# lib/typed's message and descriptor decoders (tests/fuzz/typed_bin).
$(eval $(call fuzz_target,typed_bin,tests/host/typed/demo.c $(TYPED_SRCS) lib/fmt/fmt.c,\
	-Itests/host/typed))
