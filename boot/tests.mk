# Loader test images, booted by `make test` (tests/matrix/test.txt) under
# both firmwares: each carries BOOTX64.EFI and the MBR + BIOS stage, so one
# image runs under OVMF and SeaBIOS alike.
#   no-kernel      kernel_path names a file that is not there
#   not-elf        the kernel file is a PE image (our BOOTX64.EFI)
#   truncated-elf  the kernel's first 4 KiB: a valid ELF header whose
#                  segments lie beyond the end of the file
#   no-module      module_path names a file that is not there
#   absent-cpu     the normal kernel, with tessera_test_absent_cpu (conf.h):
#                  one more processor that never checks in
#   no-kaslr       the normal kernel with "kaslr: no": the loader keeps it
#                  at its link base (the matrix checks both the loader's
#                  and the kernel's line)
# The first four must stop with a "tessera-loader: error:" line on screen
# and serial, the last two must boot.

BOOT_TEST_DIR := $(BUILD)/boot-tests
BOOT_TEST_CASES := no-kernel not-elf truncated-elf no-module absent-cpu no-kaslr
BOOT_TEST_IMGS := $(patsubst %,$(BOOT_TEST_DIR)/%.img,$(BOOT_TEST_CASES))
BOOT_TEST_ABSENT_APIC := 200
boot_test_empty :=
boot_test_indent := $(boot_test_empty)    

# limine.conf of a case: $(1) extra global lines, $(2) a module path or
# empty, $(3) extra entry lines.
boot_test_conf = timeout: 0\nserial: yes\n$(1)\n/Loader test\n    protocol: limine\n    kernel_path: boot():$(KERNEL_PATH)\n$(if $(2),    module_path: boot():$(2)\n)$(3)

boot_test_kernel_no-kernel :=
boot_test_kernel_not-elf = --file $(KERNEL_PATH)=$(BUILD)/BOOTX64.EFI
boot_test_kernel_truncated-elf = --file $(KERNEL_PATH)=$(BOOT_TEST_DIR)/truncated.elf
boot_test_kernel_no-module = --file $(KERNEL_PATH)=$(KERNEL_ELF)
boot_test_kernel_absent-cpu = --file $(KERNEL_PATH)=$(KERNEL_ELF) \
	$(foreach m,$(MODULES),--file $(m))
boot_test_kernel_no-kaslr = $(boot_test_kernel_absent-cpu)
boot_test_module_no-module := /boot/modules/missing.txt
boot_test_module_no-kaslr = $(boot_test_module_absent-cpu)
boot_test_local_no-kaslr := $(boot_test_indent)kaslr: no\n
boot_test_module_absent-cpu = $(call esp_path,$(firstword $(MODULES)))
boot_test_global_absent-cpu := tessera_test_absent_cpu: $(BOOT_TEST_ABSENT_APIC)\n

$(BOOT_TEST_DIR)/truncated.elf: $(KERNEL_ELF)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)head -c 4096 $< > $@

$(BOOT_TEST_IMGS): $(BOOT_TEST_DIR)/%.img: $(BUILD)/BOOTX64.EFI $(BIOS_MBR) $(BIOS_STAGE) \
		$(KERNEL_ELF) $(BOOT_TEST_DIR)/truncated.elf $(MKIMAGE) boot/tests.mk
	$(call msg,IMAGE,$@)
	$(Q)printf '$(call boot_test_conf,$(boot_test_global_$*),$(boot_test_module_$*),$(boot_test_local_$*))' \
		> $(@:.img=.conf)
	$(Q)$(MKIMAGE) --out $@.part --seed tessera-boot-$* $(boot_test_kernel_$*) \
		--file /EFI/BOOT/BOOTX64.EFI=$(BUILD)/BOOTX64.EFI \
		--file /boot/limine.conf=$(@:.img=.conf) --mbr $(BIOS_MBR) --stage $(BIOS_STAGE)
	$(Q)mv -f $@.part $@

.PHONY: boot-test-images
boot-test-images: $(BOOT_TEST_IMGS)
test test-all: $(BOOT_TEST_IMGS)
