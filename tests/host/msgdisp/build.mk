# Host tests for the per-core message dispatch (kernel/msgdisp.c) over real
# URPC rings (ASan + UBSan).
$(HOST)/san/tests/host/msgdisp/%.o: HOST_EXTRA_CFLAGS += -Ikernel

$(eval $(call host_test,test_msgdisp,tests/host/msgdisp/test_msgdisp.c kernel/msgdisp.c \
	lib/urpc/urpc.c))
