# Host tests for lib/elf.
$(eval $(call host_test,test_elf,tests/host/elf/test_elf.c lib/elf/elf.c))
