# Host tests for the capability core (kernel/cap) with lib/buddy as the pool.
include kernel/cap/sources.mk
CAP_TEST_COMMON := tests/host/cap/capenv.c $(CAP_SRCS) lib/buddy/buddy.c
CAP_MODEL := tests/host/cap/model.c
$(HOST)/san/tests/host/cap/%.o: HOST_EXTRA_CFLAGS += -Ikernel
$(eval $(call host_test,test_cap,tests/host/cap/test_cap.c $(CAP_TEST_COMMON)))
$(eval $(call host_test,test_cap_stress,tests/host/cap/test_cap_stress.c $(CAP_MODEL) \
	$(CAP_TEST_COMMON)))
$(eval $(call host_test,test_cap_invoke,tests/host/cap/test_cap_invoke.c $(CAP_TEST_COMMON)))
$(HOST)/san/tests/fuzz/cap/%.o: HOST_EXTRA_CFLAGS += -Ikernel
$(eval $(call host_test,test_cap_fuzz,tests/host/cap/test_cap_fuzz.c tests/fuzz/cap/fuzz_cap.c \
	$(CAP_MODEL) $(CAP_TEST_COMMON)))
$(eval $(call host_test,test_cap_top,tests/host/cap/test_cap_top.c $(CAP_TEST_COMMON)))
