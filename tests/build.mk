# Host unit tests (ASan + UBSan).  Each component's fragment adds its test
# binaries to HOST_TEST_BINS with the host_test macro:
#   $(eval $(call host_test,NAME,TEST SOURCES AND LIB SOURCES))
# builds $(HOST)/tests/NAME from those sources compiled with sanitizers.
HOST_TEST_BINS :=
HOST_TEST_OBJS :=

define host_test
HOST_TEST_BINS += $(HOST)/tests/$(1)
HOST_TEST_OBJS += $(call san_objs,$(2))
$(HOST)/tests/$(1): $(call san_objs,$(2))
	$$(call msg,LINK,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(SAN_FLAGS) $$^ -o $$@ $(3)
endef

$(eval $(call host_test,test_fmt,tests/host/test_fmt.c lib/fmt/fmt.c lib/string/mem.c))

# Per-component fragments: tests/host/NAME/build.mk.
include $(sort $(wildcard tests/host/*/build.mk))

# Fuzz targets (tests/fuzz/build.mk): their replays are host tests too.
include tests/fuzz/build.mk

# Benchmark fragments: bench/NAME/build.mk add their targets to BENCH_TARGETS.
include $(sort $(wildcard bench/*/build.mk))
