# Host tests for init's startup description (user/init/startup.c).
$(eval $(call host_test,test_startup,tests/host/init/test_startup.c user/init/startup.c lib/fmt/fmt.c lib/string/mem.c))
