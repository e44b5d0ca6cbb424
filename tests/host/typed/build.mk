# Host tests for lib/typed and tools/typedc.  demo.c builds by hand the type
# demo_args.schema declares; test_typedc also includes the header typedc makes
# of demo_args.schema.
TYPED_TEST_LIB := tests/host/typed/demo.c tests/host/typed/util.c $(TYPED_SRCS) lib/fmt/fmt.c
$(eval $(call host_test,test_typed_text,tests/host/typed/test_text.c $(TYPED_TEST_LIB)))
$(eval $(call host_test,test_typed_bin,tests/host/typed/test_bin.c $(TYPED_TEST_LIB)))
$(eval $(call host_test,test_typed_cmdline,tests/host/typed/test_cmdline.c $(TYPED_TEST_LIB)))
$(eval $(call typed_schema,tests/host/typed/demo_args.schema))
$(eval $(call host_test,test_typedc,tests/host/typed/test_typedc.c tools/typedc/cli.c \
	tools/typedc/schema.c tools/typedc/gen.c $(TYPED_TEST_LIB)))
$(HOST)/san/tests/host/typed/test_typedc.o: $(call typed_header,tests/host/typed/demo_args.schema)
$(HOST)/san/tests/host/typed/test_typedc.o: HOST_EXTRA_CFLAGS += -I$(TYPED_GEN)
