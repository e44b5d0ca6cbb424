# Host tests for lib/json and tools/tcfg.
$(eval $(call host_test,test_json,tests/host/tcfg/test_json.c lib/json/json.c))
$(eval $(call host_test,test_tcfg,tests/host/tcfg/test_tcfg.c tools/tcfg/cli.c $(TCFG_LIB_SRCS)))
