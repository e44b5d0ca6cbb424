/* The processors of the SMP response, in the order the response lists
 * them: the MADT's (acpi.h), with the bootstrap processor marked.  Pure;
 * tested on the host. */
#ifndef BOOT_COMMON_SMP_PLAN_H
#define BOOT_COMMON_SMP_PLAN_H

#include <stdint.h>

#include "acpi.h"

struct smp_cpu {
	uint32_t processor_uid; /* ACPI processor UID (limine_smp_info.processor_id) */
	uint32_t apic_id;
};

struct smp_plan {
	uint32_t count; /* processors, the BSP included */
	uint32_t bsp;   /* index of the BSP in cpus */
	struct smp_cpu cpus[ACPI_MAX_CPUS + 1];
};

/* Lists madt's processors in MADT order and finds the one whose APIC id is
 * bsp_id; if the MADT lacks it (or there is no MADT), the BSP is put first
 * with UID 0, so the list always holds it. */
void smp_plan(const struct acpi_info *madt, uint32_t bsp_id, struct smp_plan *out);

#endif
