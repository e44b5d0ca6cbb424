# The loader's ACPI walk (boot/common/acpi.c) and its processor list (smp_plan.c).
$(eval $(call fuzz_target,acpi,boot/common/acpi.c boot/common/smp_plan.c lib/string/mem.c,\
	-Iboot/common))
