# Host tests for lib/typed and tools/typedc.  demo.c builds by hand the type
# demo.schema declares; test_typedc also includes the header typedc makes
# of demo.schema.
TYPED_TEST_LIB := tests/host/typed/demo.c tests/host/typed/util.c $(TYPED_SRCS) lib/fmt/fmt.c
$(eval $(call host_test,test_typed_text,tests/host/typed/test_text.c $(TYPED_TEST_LIB)))
$(eval $(call host_test,test_typed_bin,tests/host/typed/test_bin.c $(TYPED_TEST_LIB)))
