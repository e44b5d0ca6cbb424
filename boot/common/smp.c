/* Multiprocessor start-up (PROTOCOL.md "SMP (multiprocessor) Feature").
 *
 * For now only the bootstrap processor is reported: cpu_count 1, its
 * (x2)APIC id, goto_address 0.  The application processors are not
 * started.  The later SMP issue fills these two steps in without touching
 * the rest of the loader:
 *   smp_prepare (before fw_exit): read the MADT through the RSDP, allocate
 *     the limine_smp_info array, per-CPU stacks and a trampoline page below
 *     1 MiB (fw_alloc_pages), and answer the request;
 *   smp_start (after fw_exit, before the jump): INIT-SIPI-SIPI each AP into
 *     the trampoline, which loads the kernel's page tables and GDT and parks
 *     on its goto_address.
 */
#include "boot.h"
#include "log.h"
#include "state.h"

static const void *map_phys(void *ctx, uint64_t phys, size_t len)
{
	return boot_ptr(phys);
}

/* The MADT: the I/O APICs to mask and the processors. */
static void read_madt(void)
{
	if (acpi_read_madt(boot.plat.rsdp, map_phys, NULL, &boot.acpi) != ERR_OK) {
		boot_log("acpi: no MADT; only the legacy PIC will be masked");
		return;
	}
	boot_log("acpi: %u processors, %u I/O APICs", boot.acpi.cpu_count, boot.acpi.ioapic_count);
}

/* The ACPI processor UID of the CPU with this APIC id (0 if unknown). */
static uint32_t processor_uid(uint32_t apic_id)
{
	for (uint32_t i = 0; i < boot.acpi.cpu_count; i++)
		if (boot.acpi.cpus[i].apic_id == apic_id)
			return boot.acpi.cpus[i].processor_uid;
	return 0;
}

void smp_prepare(void)
{
	struct limine_request_header *req = boot.req.req[REQ_SMP];

	read_madt();
	if (!req)
		return;
	struct limine_smp_response *r = boot_alloc(sizeof(*r));
	struct limine_smp_info *bsp = boot_alloc(sizeof(*bsp));
	uint64_t *cpus = boot_alloc(sizeof(uint64_t));
	bsp->processor_id = processor_uid(boot.caps.bsp_id);
	bsp->lapic_id = boot.caps.bsp_id;
	bsp->goto_address = 0;
	cpus[0] = boot_hhdm(boot_phys(bsp));
	r->revision = 0;
	r->flags = 0;
	r->bsp_lapic_id = boot.caps.bsp_id;
	r->cpu_count = 1;
	r->cpus = boot_hhdm(boot_phys(cpus));
	req->response = boot_hhdm(boot_phys(r));
	boot_log("smp: bootstrap processor only (APIC id %u); application processors not started",
	         boot.caps.bsp_id);
}

void smp_start(void)
{
}
