# Host tests for lib/x86: descriptor and APIC encodings, register access on
# a fake xAPIC page, the PIT arithmetic, and the CPUID helpers on this CPU.
$(eval $(call host_test,test_x86,tests/host/x86/test_x86.c lib/x86/pit.c))
