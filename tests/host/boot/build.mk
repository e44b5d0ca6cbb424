# Host tests for the loader's pure parts (boot/common, and the UEFI front
# end's memory-map conversion).  They include boot/common headers directly.
BOOT_TEST_LIBS := lib/fmt/fmt.c lib/string/mem.c
$(HOST)/san/tests/host/boot/%.o $(HOST)/san/boot/%.o: HOST_EXTRA_CFLAGS += -Iboot/common -Iboot/uefi

$(eval $(call host_test,test_boot_conf,tests/host/boot/test_conf.c boot/common/conf.c \
	$(BOOT_TEST_LIBS)))
$(eval $(call host_test,test_boot_elf,tests/host/boot/test_elf_load.c lib/elf/load.c \
	$(BOOT_TEST_LIBS)))
$(eval $(call host_test,test_boot_reloc,tests/host/boot/test_reloc.c boot/common/reloc.c \
	lib/elf/load.c $(BOOT_TEST_LIBS)))
$(eval $(call host_test,test_boot_mmap,tests/host/boot/test_mmap.c boot/common/mmap.c \
	boot/uefi/efimap.c $(BOOT_TEST_LIBS)))
$(eval $(call host_test,test_boot_paging,tests/host/boot/test_paging.c \
	boot/common/arch/x86_64/paging.c $(BOOT_TEST_LIBS)))
$(eval $(call host_test,test_boot_requests,tests/host/boot/test_requests.c \
	boot/common/requests.c $(BOOT_TEST_LIBS)))
$(eval $(call host_test,test_boot_clock,tests/host/boot/test_clock.c boot/common/clock.c))
$(eval $(call host_test,test_boot_acpi,tests/host/boot/test_acpi.c boot/common/acpi.c \
	$(BOOT_TEST_LIBS)))
$(eval $(call host_test,test_boot_smp,tests/host/boot/test_smp.c boot/common/smp_plan.c \
	boot/common/arch/x86_64/mtrr.c $(BOOT_TEST_LIBS)))
