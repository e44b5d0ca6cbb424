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

void smp_prepare(void)
{
	struct limine_request_header *req = boot.req.req[REQ_SMP];

	if (!req)
		return;
	struct limine_smp_response *r = boot_alloc(sizeof(*r));
	struct limine_smp_info *bsp = boot_alloc(sizeof(*bsp));
	uint64_t *cpus = boot_alloc(sizeof(uint64_t));
	bsp->processor_id = 0;
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
