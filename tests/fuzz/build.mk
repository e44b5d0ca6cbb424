# Fuzzing: libFuzzer targets for every parser of outside input (clang
# -fsanitize=fuzzer,address,undefined), and their replay under `make test`.
#
# A target NAME lives in tests/fuzz/NAME/:
#   fuzz_NAME.c   defines LLVMFuzzerTestOneInput
#   build.mk      $(eval $(call fuzz_target,NAME,SOURCES[,CFLAGS[,FUZZER_FLAGS]]))
#                 SOURCES: the code under test and any helpers (fuzz_NAME.c is
#                 added); CFLAGS: extra flags for fuzz_NAME.c (e.g. -Iboot/common);
#                 FUZZER_FLAGS: extra libFuzzer options for `make fuzz` (-max_len=N)
#   corpus/       the seed corpus (small, committed)
#   regress/      inputs that once crashed, kept as regression cases
# Two binaries come from one target, from the same sources:
#   $(HOST)/fuzz/bin/fuzz_NAME   libFuzzer (`make fuzz` runs it for FUZZ_S s)
#   $(HOST)/tests/replay_NAME    ASan + UBSan with tests/fuzz/replay.c's main:
#                                every file of corpus/ and regress/ as one KTAP
#                                case; a host test, so `make test` runs it

FUZZ_S ?= 30
FUZZ_TARGETS :=
FUZZ_BINS :=
FUZZ_CFLAGS := -std=c17 -D_GNU_SOURCE -O1 -g $(COMMON_WARN) $(COMMON_INC) \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

$(HOST)/fuzz/obj/%.o: %.c $(HOST)/deps.ok
	$(call msg,HOSTCC,$< [fuzz])
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(FUZZ_CFLAGS) $(HOST_EXTRA_CFLAGS) -MMD -MP -c $< -o $@

fuzz_objs = $(patsubst %.c,$(HOST)/fuzz/obj/%.o,$(1))

define fuzz_target
FUZZ_TARGETS += $(1)
FUZZ_BINS += $(HOST)/fuzz/bin/fuzz_$(1)
FUZZ_FLAGS_$(1) := $(4)
HOST_TEST_BINS += $(HOST)/tests/replay_$(1)
$(HOST)/fuzz/obj/tests/fuzz/$(1)/%.o $(HOST)/san/tests/fuzz/$(1)/%.o: HOST_EXTRA_CFLAGS += $(3)
$(HOST)/fuzz/bin/fuzz_$(1): $(call fuzz_objs,tests/fuzz/$(1)/fuzz_$(1).c $(2))
	$$(call msg,LINK,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) -fsanitize=fuzzer,address,undefined $$^ -o $$@
$(HOST)/tests/replay_$(1): $(call san_objs,tests/fuzz/replay.c tests/fuzz/$(1)/fuzz_$(1).c $(2))
	$$(call msg,LINK,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(SAN_FLAGS) $$^ -o $$@
endef

# Helpers shared by several targets.
FUZZ_SPARSE := tests/fuzz/common/sparse.c

include $(sort $(wildcard tests/fuzz/*/build.mk))

# `make fuzz`: each target in turn for FUZZ_S seconds from a scratch copy of
# its corpus and regression inputs (build/host/fuzz/run/NAME/), so the committed
# corpus stays as it is; a crash, leak, hang or out-of-memory fails it.
.PHONY: fuzz fuzz-corpus
fuzz: $(FUZZ_BINS)
	$(Q)tests/fuzz/run.sh $(FUZZ_S) $(HOST)/fuzz \
		$(foreach t,$(FUZZ_TARGETS),'$(t) $(FUZZ_FLAGS_$(t))')

# `make fuzz-corpus`: regenerates the seeds that come from our own tools
# (tests/fuzz/mkcorpus.sh); run by hand, the results are committed.
FUZZ_MKSPARSE := $(HOST)/bin/mksparse
FUZZ_MKSEEDS := $(HOST)/bin/mkseeds
$(eval $(call host_tool,mksparse,tests/fuzz/common/mksparse.c))
$(eval $(call host_tool,mkseeds,tests/fuzz/common/mkseeds.c lib/urpc/urpc.c lib/urpc/test_seq.c))
$(HOST)/obj/tests/fuzz/common/mkseeds.o: HOST_EXTRA_CFLAGS += -Iboot/common
fuzz-corpus: $(FUZZ_MKSPARSE) $(FUZZ_MKSEEDS) $(MKIMAGE) $(TYPEDC)
	$(Q)tests/fuzz/mkcorpus.sh $(HOST)/fuzz/seeds $(HOST)/bin
