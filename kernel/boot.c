/* The Limine requests, placed between the start and end markers in the
 * .limine_requests* sections (kernel.ld keeps them, in the data segment,
 * because the loader writes the response pointers into them).
 * Definitions: include/tessera/limine.h.
 */
#include "boot.h"

#include <arch/arch.h>

#define REQUEST __attribute__((used, section(".limine_requests"), aligned(8))) static volatile

__attribute__((used, section(".limine_requests_start"),
               aligned(8))) static volatile uint64_t requests_start[4] = {
        LIMINE_REQUESTS_START0, LIMINE_REQUESTS_START1, LIMINE_REQUESTS_START2,
        LIMINE_REQUESTS_START3};

REQUEST uint64_t base_revision[3] = {LIMINE_BASE_REVISION_MAGIC0, LIMINE_BASE_REVISION_MAGIC1,
                                     BOOT_BASE_REVISION};

REQUEST struct limine_bootloader_info_request loader_req = {.id = LIMINE_ID_BOOTLOADER_INFO};
REQUEST struct limine_firmware_type_request firmware_req = {.id = LIMINE_ID_FIRMWARE_TYPE};
REQUEST struct limine_stack_size_request stack_req = {.id = LIMINE_ID_STACK_SIZE,
                                                      .stack_size = BOOT_STACK_SIZE};
REQUEST struct limine_hhdm_request hhdm_req = {.id = LIMINE_ID_HHDM};
REQUEST struct limine_framebuffer_request fb_req = {.id = LIMINE_ID_FRAMEBUFFER};
REQUEST struct limine_paging_mode_request paging_req = {
        .id = LIMINE_ID_PAGING_MODE,
        .revision = 1,
        .mode = ARCH_LIMINE_PAGING_MODE,
        .max_mode = ARCH_LIMINE_PAGING_MODE,
        .min_mode = ARCH_LIMINE_PAGING_MODE,
};
/* x2APIC where the CPU has it: the local APIC driver handles both modes,
 * and only x2APIC addresses APIC ids above 255. */
REQUEST struct limine_smp_request smp_req = {.id = LIMINE_ID_SMP, .flags = LIMINE_SMP_X2APIC};
REQUEST struct limine_memmap_request memmap_req = {.id = LIMINE_ID_MEMMAP};
REQUEST struct limine_kernel_file_request kernel_file_req = {.id = LIMINE_ID_KERNEL_FILE};
REQUEST struct limine_module_request module_req = {.id = LIMINE_ID_MODULE};
REQUEST struct limine_rsdp_request rsdp_req = {.id = LIMINE_ID_RSDP};
REQUEST struct limine_boot_time_request boot_time_req = {.id = LIMINE_ID_BOOT_TIME};
REQUEST struct limine_kernel_address_request kernel_address_req = {.id = LIMINE_ID_KERNEL_ADDRESS};

__attribute__((used, section(".limine_requests_end"),
               aligned(8))) static volatile uint64_t requests_end[2] = {LIMINE_REQUESTS_END0,
                                                                        LIMINE_REQUESTS_END1};

struct boot_info boot_info;

uint64_t boot_revision_word(void)
{
	return base_revision[2];
}

#define RESPONSE(req) ((const void *)(uintptr_t)(req).response)

void boot_collect(void)
{
	boot_info.loader = RESPONSE(loader_req);
	boot_info.firmware = RESPONSE(firmware_req);
	boot_info.stack_size = RESPONSE(stack_req);
	boot_info.hhdm = RESPONSE(hhdm_req);
	boot_info.framebuffer = RESPONSE(fb_req);
	boot_info.paging_mode = RESPONSE(paging_req);
	boot_info.smp = RESPONSE(smp_req);
	boot_info.memmap = RESPONSE(memmap_req);
	boot_info.kernel_file = RESPONSE(kernel_file_req);
	boot_info.modules = RESPONSE(module_req);
	boot_info.rsdp = RESPONSE(rsdp_req);
	boot_info.boot_time = RESPONSE(boot_time_req);
	boot_info.kernel_address = RESPONSE(kernel_address_req);
}

size_t boot_memmap_count(void)
{
	return boot_info.memmap ? boot_info.memmap->entry_count : 0;
}

const struct limine_memmap_entry *boot_memmap_entry(size_t i)
{
	const uint64_t *entries = (const uint64_t *)(uintptr_t)boot_info.memmap->entries;
	return (const struct limine_memmap_entry *)(uintptr_t)entries[i];
}

size_t boot_module_count(void)
{
	return boot_info.modules ? boot_info.modules->module_count : 0;
}

const struct limine_file *boot_module(size_t i)
{
	const uint64_t *mods = (const uint64_t *)(uintptr_t)boot_info.modules->modules;
	return (const struct limine_file *)(uintptr_t)mods[i];
}

const struct limine_framebuffer *boot_framebuffer(void)
{
	const struct limine_framebuffer_response *r = boot_info.framebuffer;
	if (!r || r->framebuffer_count == 0 || !r->framebuffers)
		return NULL;
	return (const struct limine_framebuffer *)(uintptr_t)((const uint64_t *)(uintptr_t)
	                                                              r->framebuffers)[0];
}

uint64_t boot_cpu_count(void)
{
	return boot_info.smp && boot_info.smp->cpu_count ? boot_info.smp->cpu_count : 1;
}

const char *boot_firmware_name(uint64_t type)
{
	switch (type) {
	case LIMINE_FIRMWARE_TYPE_X86BIOS: return "BIOS";
	case LIMINE_FIRMWARE_TYPE_UEFI32: return "UEFI (32-bit)";
	case LIMINE_FIRMWARE_TYPE_UEFI64: return "UEFI (64-bit)";
	default: return "unknown";
	}
}

const char *boot_memmap_type_name(uint64_t type)
{
	static const char *const names[] = {
	        [LIMINE_MEMMAP_USABLE] = "usable",
	        [LIMINE_MEMMAP_RESERVED] = "reserved",
	        [LIMINE_MEMMAP_ACPI_RECLAIMABLE] = "ACPI reclaimable",
	        [LIMINE_MEMMAP_ACPI_NVS] = "ACPI NVS",
	        [LIMINE_MEMMAP_BAD_MEMORY] = "bad memory",
	        [LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE] = "bootloader reclaimable",
	        [LIMINE_MEMMAP_KERNEL_AND_MODULES] = "kernel and modules",
	        [LIMINE_MEMMAP_FRAMEBUFFER] = "framebuffer",
	};
	if (type < sizeof names / sizeof names[0] && names[type])
		return names[type];
	return "unknown";
}

const char *boot_str(uint64_t ptr)
{
	return ptr ? (const char *)(uintptr_t)ptr : "";
}
