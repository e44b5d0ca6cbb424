# The kernel's cap_env and each core's initial capability space
# (kernel/capboot), and the loader's ACPI table walker they share with it.
# Included by kernel/build.mk after KERNEL_SRCS is defined.
CAPBOOT_SRCS := kernel/capboot/env.c kernel/capboot/cspace.c kernel/capboot/devices.c \
	kernel/capboot/region.c kernel/capboot/transfer.c kernel/capboot/retire.c boot/common/acpi.c
CAPBOOT_TEST_SRCS := $(sort $(wildcard kernel/capboot/*_test.c))
$(BUILD)/kernel/kernel/capboot/devices.o: KERNEL_CFLAGS += -Iboot/common

KERNEL_SRCS += $(CAPBOOT_SRCS)
KERNEL_TEST_ONLY += $(CAPBOOT_TEST_SRCS)
