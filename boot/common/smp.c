/* Multiprocessor start-up (PROTOCOL.md "SMP (multiprocessor) Feature").
 *
 * Only when the kernel makes the SMP request.  The processors come from the
 * MADT (acpi.c: enabled Processor Local APIC and Local x2APIC entries; an
 * online-capable one is hot-pluggable and absent, so it is not started), in
 * MADT order (smp_plan.c).
 *   smp_prepare (before fw_exit): a limine_smp_info and a stack (64 KiB or
 *     the stack size request's) for each processor, the response, and the
 *     trampoline pages below 1 MiB (arch_smp_prepare), all bootloader-
 *     reclaimable;
 *   smp_start (after fw_exit, before the jump): x2APIC mode if asked for,
 *     then each AP in turn (arch_smp_start: INIT-SIPI-SIPI, check-in within
 *     AP_TIMEOUT_US); it parks on its goto_address.  The response lists the
 *     BSP and every AP that checked in; one that did not is reported on
 *     serial and left out.
 */
#include <string/mem.h>

#include "boot.h"
#include "log.h"
#include "smp_plan.h"
#include "state.h"

/* How long an AP has from its first start-up IPI to check in.  Real
 * processors take microseconds; a TCG vCPU on a loaded host can take far
 * longer to be scheduled and to translate the trampoline. */
#define AP_TIMEOUT_US 2000000ull

static struct {
	struct limine_smp_response *resp; /* NULL: no SMP request */
	struct limine_smp_info *info;     /* one per processor of the plan */
	uint64_t *cpus;                   /* the response's pointer array */
	uint64_t *stack;                  /* each AP's stack top (physical) */
	int prepared;                     /* the trampoline is in place */
	int want_x2apic;
	struct smp_plan plan;
} smp;

/* ACPI tables through the identity map, which may end before them (the
 * BIOS stage maps 4 GiB): acpi.c then uses the RSDT instead of the XSDT. */
static const void *map_phys(void *ctx, uint64_t phys, size_t len)
{
	uint64_t limit = boot.plat.map_limit ? boot.plat.map_limit : UINT64_MAX;

	if (phys >= limit || len > limit - phys)
		return NULL;
	return boot_ptr(phys);
}

/* limine.conf's tessera_test_absent_cpu (conf.h): one more processor, as an
 * enabled MADT entry for a CPU that does not answer would list it; second
 * in the list, so the real APs are started after it has failed. */
static void add_absent_cpu(struct acpi_info *a)
{
	uint32_t at = a->cpu_count ? 1 : 0;

	if (!boot.conf.has_absent_cpu || a->cpu_count == ACPI_MAX_CPUS)
		return;
	memmove(&a->cpus[at + 1], &a->cpus[at], (a->cpu_count - at) * sizeof(a->cpus[0]));
	a->cpus[at] = (struct acpi_cpu){.processor_uid = boot.conf.absent_cpu,
	                                .apic_id = boot.conf.absent_cpu,
	                                .flags = ACPI_LAPIC_ENABLED};
	a->cpu_count++;
	boot_log("acpi: test: added an absent processor with APIC id %u (tessera_test_absent_cpu)",
	         boot.conf.absent_cpu);
}

/* The MADT: the I/O APICs to mask and the processors. */
static void read_madt(void)
{
	struct acpi_info *a = &boot.acpi;

	if (acpi_read_madt(boot.plat.rsdp, map_phys, NULL, a) != ERR_OK)
		boot_log("acpi: no MADT; only the legacy PIC will be masked");
	add_absent_cpu(a);
	boot_log("acpi: %s: %u processors (%u online-capable and %u disabled entries not "
	         "started, %u dropped), %u I/O APICs",
	         a->root == ACPI_ROOT_XSDT   ? "MADT from the XSDT"
	         : a->root == ACPI_ROOT_RSDT ? "MADT from the RSDT"
	                                     : "no MADT",
	         a->cpu_count, a->cpu_online_capable, a->cpu_disabled, a->cpu_dropped,
	         a->ioapic_count);
	for (uint32_t i = 0; i < a->cpu_count; i++)
		boot_log("acpi: cpu %u: APIC id %u, UID %u", i, a->cpus[i].apic_id,
		         a->cpus[i].processor_uid);
}

/* The trampoline pages and what every AP shares; without them the APs are
 * not started (and the log says why), but the boot goes on. */
static void prepare_trampoline(void)
{
	uint64_t low;
	enum err e = fw_alloc_pages(ARCH_SMP_LOW_PAGES, BOOT_MEM_RECLAIMABLE, BOOT_PAGE,
	                            ARCH_SMP_LOW_LIMIT, &low);

	if (e) {
		boot_warn("smp: no memory below 1 MiB for the AP trampoline (%s); only the "
		          "bootstrap processor will run",
		          err_str(e));
		return;
	}
	struct arch_smp_setup s = {
	        .low = low,
	        .low_hhdm = boot_hhdm(low),
	        .cr3 = boot.pt.root,
	        .gdt = boot_hhdm(boot.gdt_phys),
	};
	e = arch_smp_prepare(&s);
	if (e) {
		boot_warn("smp: no AP trampoline at 0x%llx (%s); only the bootstrap processor "
		          "will run",
		          (unsigned long long)low, err_str(e));
		return;
	}
	smp.prepared = 1;
	boot_log("smp: AP trampoline at 0x%llx", (unsigned long long)low);
}

void smp_prepare(void)
{
	struct limine_smp_request *req = boot.req.req[REQ_SMP];

	read_madt();
	if (!req)
		return;
	smp.want_x2apic =
	        boot.req.room[REQ_SMP] >= sizeof(*req) && (req->flags & LIMINE_SMP_X2APIC);
	smp_plan(&boot.acpi, boot.caps.bsp_id, &smp.plan);
	uint32_t n = smp.plan.count;
	smp.info = boot_alloc(n * sizeof(*smp.info));
	smp.cpus = boot_alloc(n * sizeof(*smp.cpus));
	smp.stack = boot_alloc(n * sizeof(*smp.stack));
	for (uint32_t i = 0; i < n; i++) {
		smp.info[i].processor_id = smp.plan.cpus[i].processor_uid;
		smp.info[i].lapic_id = smp.plan.cpus[i].apic_id;
		if (i != smp.plan.bsp)
			smp.stack[i] = boot_phys(boot_alloc_pages(boot.stack_size / BOOT_PAGE,
			                                          BOOT_MEM_RECLAIMABLE)) +
			               boot.stack_size;
	}
	smp.resp = boot_alloc(sizeof(*smp.resp));
	smp.resp->revision = 0;
	smp.resp->bsp_lapic_id = boot.caps.bsp_id;
	smp.resp->cpu_count = 1;
	smp.resp->cpus = boot_hhdm(boot_phys(smp.cpus));
	smp.cpus[0] = boot_hhdm(boot_phys(&smp.info[smp.plan.bsp]));
	req->response = boot_hhdm(boot_phys(smp.resp));
	if (n > 1)
		prepare_trampoline();
}

/* Starts AP i of the plan; whether it checked in. */
static int start_one(uint32_t i)
{
	uint32_t id = smp.plan.cpus[i].apic_id;
	uint64_t us;
	enum err e = ERR_UNSUPPORTED; /* no trampoline (smp_prepare said why) */

	if (smp.prepared)
		e = arch_smp_start(id, boot_hhdm(boot_phys(&smp.info[i])), boot_hhdm(smp.stack[i]),
		                   AP_TIMEOUT_US, &us);
	if (e == ERR_RANGE)
		boot_log("cpu %u (APIC id %u) did not start: its APIC id needs x2APIC mode", i, id);
	else if (e == ERR_TIMEOUT)
		boot_log("cpu %u (APIC id %u) did not start (no check-in within %llu ms)", i, id,
		         AP_TIMEOUT_US / 1000);
	else if (e)
		boot_log("cpu %u (APIC id %u) did not start: %s", i, id, err_str(e));
	else
		boot_log("smp: cpu %u (APIC id %u) parked after %llu us", i, id,
		         (unsigned long long)us);
	return e == ERR_OK;
}

void smp_start(void)
{
	struct arch_smp_state st;
	uint64_t online = 0;

	if (!smp.resp)
		return;
	arch_smp_begin(smp.want_x2apic, &st);
	if (smp.prepared)
		boot_log("smp: TSC %llu MHz%s; APs get CR0 0x%llx, CR4 0x%llx, %u MTRR writes%s",
		         (unsigned long long)(st.tsc_hz / 1000000),
		         st.tsc_guessed ? " (guessed: the PIT did not answer)" : "",
		         (unsigned long long)st.cr0, (unsigned long long)st.cr4, st.mtrrs,
		         st.mtrrs_dropped ? " (some variable ranges did not fit)" : "");
	for (uint32_t i = 0; i < smp.plan.count; i++)
		if (i == smp.plan.bsp || start_one(i))
			smp.cpus[online++] = boot_hhdm(boot_phys(&smp.info[i]));
	smp.resp->cpu_count = online;
	smp.resp->flags = st.x2apic ? LIMINE_SMP_X2APIC : 0;
	boot_log("smp: %llu of %u processors online (BSP APIC id %u)%s", (unsigned long long)online,
	         smp.plan.count, boot.caps.bsp_id, st.x2apic ? ", x2APIC mode" : "");
}
