# The kernel (CPU driver).  Defines KERNEL_ELF and KERNEL_TEST_ELF.
#
# Every .c/.S under kernel/ (generic) and kernel/arch/$(ARCH_DIR)/ is part of
# the kernel, except tests: files named *_test.c, everything in kernel/tests/,
# and the test runner kernel/ktest.c go only into the test kernel, which is the
# same objects plus those.
KERNEL_ELF := $(BUILD)/tessera.elf
KERNEL_TEST_ELF := $(BUILD)/tessera-test.elf

KERNEL_ARCH := kernel/arch/$(ARCH_DIR)
KERNEL_LDS := $(KERNEL_ARCH)/kernel.ld
KERNEL_ALL_SRCS := $(sort $(wildcard kernel/*.c $(KERNEL_ARCH)/*.c $(KERNEL_ARCH)/*.S))
KERNEL_TEST_ONLY := $(filter %_test.c,$(KERNEL_ALL_SRCS)) kernel/ktest.c \
	$(sort $(wildcard kernel/tests/*.c)) lib/urpc/test_seq.c
# Bench-only code goes only into the bench kernel that names it
# (bench/user/user.mk): bench_*.c/.S in kernel/ and kernel/arch/NAME/ (and
# kernel/sched/bench_*.c, which sched/sources.mk does not list).
KERNEL_BENCH_ONLY := $(filter kernel/bench_% $(KERNEL_ARCH)/bench_%,$(KERNEL_ALL_SRCS))
# The capability core lists its sources itself (kernel/cap/sources.mk: CAP_SRCS).
-include kernel/cap/sources.mk
KERNEL_SRCS := $(filter-out $(KERNEL_TEST_ONLY) $(KERNEL_BENCH_ONLY),$(KERNEL_ALL_SRCS)) $(CAP_SRCS) \
	lib/fmt/fmt.c lib/string/mem.c lib/elf/elf.c lib/tile/tile.c lib/tile/reloc.c lib/buddy/buddy.c lib/urpc/urpc.c \
	lib/x86/pit.c lib/x86/uart.c
include kernel/mm/sources.mk
include kernel/capboot/sources.mk
include kernel/sched/sources.mk

# The console font, rasterised at build time from the Debian package's TTF.
KERNEL_FONT_TTF := /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf
KERNEL_FONT_HEIGHT := 16
KERNEL_FONT_C := $(HOST)/gen/font-$(KERNEL_FONT_HEIGHT).c

KERNEL_OBJS := $(call kernel_objs,$(KERNEL_SRCS) $(KERNEL_FONT_C))
KERNEL_TEST_OBJS := $(KERNEL_OBJS) $(call kernel_objs,$(KERNEL_TEST_ONLY))

$(KERNEL_FONT_C): $(MKFONT) $(HOST)/deps.ok
	$(call msg,MKFONT,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(MKFONT) $(KERNEL_FONT_TTF) $(KERNEL_FONT_HEIGHT) $@

# kernel_link(output, objects)
define kernel_link
$(1): $(2) $(KERNEL_LDS)
	$$(call msg,LD,$$@)
	$$(Q)$$(LD) $$(KERNEL_LDFLAGS) -T $(KERNEL_LDS) -o $$@ $(2)
endef

$(eval $(call kernel_link,$(KERNEL_ELF),$(KERNEL_OBJS)))
$(eval $(call kernel_link,$(KERNEL_TEST_ELF),$(KERNEL_TEST_OBJS)))

.PHONY: kernel kernel-test
kernel: $(KERNEL_ELF)
kernel-test: $(KERNEL_TEST_ELF)

# Variants of the test image: the test kernel with another command line
# (tests/matrix/test.txt), each build/CONFIG/test-NAME.img, which is
# test.img with another limine.conf.
#   hold    core 2 held back (smp.hold=2): core 0 waits for its boot report
#           until smp.timeout_ms, reports it missing and boots 3 of 4 cores
#   late    core 2's boot report held back past the wait (a fault rule,
#           kernel/fault.h): not online, it retires and core 0 keeps its
#           memory only after it has given it up
#   faults  the untyped hand-out with answers and transfers dropped and
#           duplicated, and core 3's capability space failing to start
TEST_VARIANTS := hold late faults
TEST_CMDLINE_hold := test smp.hold=2 smp.timeout_ms=2000
TEST_CMDLINE_late := test smp.timeout_ms=1500 chan.fault=delay:BOOT_REPORT:2-0:1:4000
TEST_CMDLINE_faults := test fault.start=3:caps chan.fault=drop:CAP_TRANSFER_ACK:1-0:1,dup:CAP_TRANSFER_ACK:1-0:2,dup:CAP_TRANSFER:0-1:2,drop:CAP_TRANSFER:0-2:1,dup:MEM_DONATE:0-1:1

# test_variant(NAME): its limine.conf and image; the command line is passed
# by variable name, as it holds commas.
define test_variant
$$(BUILD)/test-$(1)/limine.conf: $$(IMAGE_CFG) mk/image.mk kernel/build.mk user/tests/build.mk
	$$(call msg,GEN,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)printf '%s\n' $$(call limine_conf_lines,$$(KERNEL_PATH),$$(TEST_CMDLINE_$(1))) > $$@

$$(BUILD)/test-$(1).img: $$(BUILD)/test.img $$(BUILD)/test-$(1)/limine.conf
	$$(call msg,IMAGE,$$@)
	$$(Q)$$(MKIMAGE) --out $$@ $$(call image_args,$$(KERNEL_TEST_ELF),$$(BUILD)/test-$(1)/limine.conf)

test test-all: $$(BUILD)/test-$(1).img
endef
$(foreach v,$(TEST_VARIANTS),$(eval $(call test_variant,$(v))))

.PHONY: test-variant-images
test-variant-images: $(foreach v,$(TEST_VARIANTS),$(BUILD)/test-$(v).img)

# The in-guest benchmarks (make bench-smp, bench-vm, bench-user; part of make bench).
include bench/smp/smp.mk
include bench/vm/vm.mk
include bench/user/user.mk
include bench/exe/exe.mk
