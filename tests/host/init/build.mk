# Host tests for init's startup description (user/init/startup.c over the
# header typedc makes of user/init/init_startup.schema).
$(eval $(call typed_schema,user/init/init_startup.schema))
# tools/typedc's schema parser reads the schemas the configuration tests
# check texts against.
$(eval $(call host_test,test_startup,tests/host/init/test_startup.c user/init/startup.c \
	tools/typedc/schema.c $(TYPED_SRCS) lib/fmt/fmt.c lib/string/mem.c))
$(HOST)/san/user/init/startup.o: $(call typed_header,user/init/init_startup.schema)
$(HOST)/san/user/init/startup.o: HOST_EXTRA_CFLAGS += -I$(TYPED_GEN)
