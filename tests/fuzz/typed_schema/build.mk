# tools/typedc's schema parser and generator (tests/fuzz/typed_schema).
$(eval $(call fuzz_target,typed_schema,tools/typedc/schema.c tools/typedc/gen.c \
	$(TYPED_SRCS) lib/fmt/fmt.c,-Itools/typedc))
