/* The SMP response's processor list; see smp_plan.h. */
#include "smp_plan.h"

void smp_plan(const struct acpi_info *madt, uint32_t bsp_id, struct smp_plan *out)
{
	uint32_t n = 0, count = madt->cpu_count < ACPI_MAX_CPUS ? madt->cpu_count : ACPI_MAX_CPUS;

	out->bsp = UINT32_MAX;
	for (uint32_t i = 0; i < count && out->bsp == UINT32_MAX; i++)
		if (madt->cpus[i].apic_id == bsp_id)
			out->bsp = i;
	if (out->bsp == UINT32_MAX) {
		out->cpus[n++] = (struct smp_cpu){.processor_uid = 0, .apic_id = bsp_id};
		out->bsp = 0;
	}
	for (uint32_t i = 0; i < count; i++)
		out->cpus[n++] = (struct smp_cpu){.processor_uid = madt->cpus[i].processor_uid,
		                                  .apic_id = madt->cpus[i].apic_id};
	out->count = n;
}
