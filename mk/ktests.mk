# The list of the test cases the test kernel must report, beside its images
# (test.img: test.ktests; test-NAME.img: test-NAME.ktests), for the harness's
# test accounting (tools/harness/account.h).  Made by scanning the sources
# (harness ktests, tools/harness/ktests.h), not by asking the kernel: every
# .c under kernel/ (other architectures' folders aside) and every other C
# source linked into the test kernel.  A kernel file with KTESTs that is
# left out of the link therefore still counts, and its cases are reported
# missing.
KTEST_TREE_SRCS := $(shell find kernel -name '*.c' 2>/dev/null)
KTEST_SCAN_SRCS := $(sort $(filter-out kernel/arch/%,$(KTEST_TREE_SRCS)) \
	$(filter kernel/arch/$(ARCH_DIR)/%,$(KTEST_TREE_SRCS)) \
	$(filter-out $(HOST)/%,$(filter %.c,$(KERNEL_SRCS) $(KERNEL_TEST_ONLY))))
KTEST_LIST := $(BUILD)/test.ktests

$(KTEST_LIST): $(KTEST_SCAN_SRCS) $(HARNESS)
	$(call msg,KTESTS,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HARNESS) ktests --out $@ $(KTEST_SCAN_SRCS)

# The variants of test.img (kernel/build.mk) carry the same test kernel.
$(BUILD)/test-%.ktests: $(KTEST_LIST)
	$(Q)cp -f $< $@

.PHONY: ktests
ktests: $(KTEST_LIST)
test-image: $(KTEST_LIST)
