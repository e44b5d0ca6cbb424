# The kernel (CPU driver).  Defines KERNEL_ELF and KERNEL_TEST_ELF.
KERNEL_ELF := $(BUILD)/tessera.elf
KERNEL_TEST_ELF := $(BUILD)/tessera-test.elf
