# Host tests and benchmark for lib/urpc (URPC channels, typed messages).
URPC_TEST_SRCS := tests/host/urpc/test_urpc.c tests/host/urpc/test_urpc_msg.c \
	tests/host/urpc/test_urpc_threads.c lib/urpc/urpc.c lib/urpc/test_seq.c
$(eval $(call host_test,test_urpc,$(URPC_TEST_SRCS),-pthread))

# `make urpc-tsan`: the same tests under ThreadSanitizer (not part of `make
# test`: TSan cannot be combined with ASan), to check the memory orderings.
URPC_TSAN := $(HOST)/tsan/test_urpc
$(URPC_TSAN): $(URPC_TEST_SRCS) $(wildcard lib/urpc/*.h tests/host/urpc/*.h) \
		include/tessera/urpc.h include/tessera/msg.h $(HOST)/deps.ok
	$(call msg,CC,$@ [tsan])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(filter-out $(SAN_FLAGS),$(HOST_TEST_CFLAGS)) -fsanitize=thread \
		$(URPC_TEST_SRCS) -pthread -o $@

.PHONY: urpc-tsan
urpc-tsan: $(URPC_TSAN)
	$(Q)$(URPC_TSAN)

# `make bench` runs bench-urpc: latency and throughput against a raw cache-line
# bounce between two pinned CPUs (URPC_BENCH_ARGS="CPU_A CPU_B [ITERATIONS]").
URPC_BENCH := $(HOST)/bin/bench_urpc
$(URPC_BENCH): $(call host_objs,bench/urpc/bench_urpc.c lib/urpc/urpc.c)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $^ -pthread -o $@

.PHONY: bench-urpc
bench-urpc: $(URPC_BENCH)
	$(Q)$(URPC_BENCH) $(URPC_BENCH_ARGS)
BENCH_TARGETS += bench-urpc
