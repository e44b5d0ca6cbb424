/* The boot summary: a canonical, loader-independent description of every
 * Limine response the kernel received, one "bootsum:" line per fact.
 *
 * Two loaders booting the same kernel on the same machine must produce the
 * same summary except where PROTOCOL.md leaves room; tools/harness compares
 * our loader's summary with Limine's (tests/matrix, "same=ENTRY") and lists
 * the differences the specification allows.  What is canonical here:
 *  - addresses the loader chooses (where the kernel and modules are loaded,
 *    its own bootloader-reclaimable allocations) are not printed; their
 *    properties are (size, alignment, containment in the memory map);
 *  - memory map entries of type usable, bootloader-reclaimable and
 *    kernel/modules are all RAM the kernel owns after boot, so they are
 *    merged into "ram" runs; every other type is printed as it is.
 */
#include <stdint.h>
#include <string/mem.h>

#include "boot.h"
#include "bootsum.h"
#include "log.h"

#define PAGE 4096ull

static uint64_t phys_of(uint64_t ptr)
{
	uint64_t off = boot_info.hhdm ? boot_info.hhdm->offset : 0;
	return ptr >= off ? ptr - off : ptr;
}

static bool is_ram(uint64_t type)
{
	return type == LIMINE_MEMMAP_USABLE || type == LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE ||
	       type == LIMINE_MEMMAP_KERNEL_AND_MODULES;
}

/* The canonical type of an entry: "ram" or the type's own name. */
static const char *canon_type(uint64_t type)
{
	return is_ram(type) ? "ram" : boot_memmap_type_name(type);
}

static void print_run(uint64_t base, uint64_t end, const char *type)
{
	if (end > base)
		log_printf("bootsum: mem %016llx-%016llx %s\n", (unsigned long long)base,
		           (unsigned long long)end, type);
}

/* Prints the memory map canonically: RAM types merged, adjacent entries of
 * one canonical type coalesced, RAM rounded inwards and everything else
 * outwards to pages (PROTOCOL.md promises alignment only for usable and
 * bootloader-reclaimable entries, so loaders may differ below a page). */
static void sum_memmap(void)
{
	size_t n = boot_memmap_count();
	uint64_t run_base = 0, run_end = 0, ram_total = 0;
	const char *run_type = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct limine_memmap_entry *e = boot_memmap_entry(i);
		const char *t = canon_type(e->type);
		uint64_t base = e->base, end = e->base + e->length;
		if (is_ram(e->type)) {
			ram_total += e->length;
			base = (base + PAGE - 1) & ~(PAGE - 1);
			end &= ~(PAGE - 1);
		} else {
			base &= ~(PAGE - 1);
			end = (end + PAGE - 1) & ~(PAGE - 1);
		}
		if (run_type && strcmp(run_type, t) == 0 && base <= run_end) {
			if (end > run_end)
				run_end = end;
			continue;
		}
		if (run_type)
			print_run(run_base, run_end, run_type);
		run_type = t;
		run_base = base;
		run_end = end;
	}
	if (run_type)
		print_run(run_base, run_end, run_type);
	log_printf("bootsum: memmap-ram-total %llu KiB\n", (unsigned long long)(ram_total / 1024));
}

/* Whether [base, base+size) lies inside one KERNEL_AND_MODULES entry. */
static bool in_kernel_entry(uint64_t base, uint64_t size)
{
	for (size_t i = 0; i < boot_memmap_count(); i++) {
		const struct limine_memmap_entry *e = boot_memmap_entry(i);
		if (e->type == LIMINE_MEMMAP_KERNEL_AND_MODULES && base >= e->base &&
		    base + size <= e->base + e->length)
			return true;
	}
	return false;
}

/* A file's path, size, command line and alignment; for modules also where
 * it lies (PROTOCOL.md: modules are marked Kernel/Modules; the kernel file's
 * copy may live anywhere, so it is not checked). */
static void sum_file(const char *what, size_t index, const struct limine_file *f, bool module)
{
	uint64_t phys = phys_of(f->address);
	log_printf("bootsum: %s %zu path %s size %llu cmdline \"%s\" aligned %s%s\n", what, index,
	           boot_str(f->path), (unsigned long long)f->size, boot_str(f->cmdline),
	           phys % PAGE == 0 ? "yes" : "no",
	           !module                          ? ""
	           : in_kernel_entry(phys, f->size) ? " placed kernel-and-modules"
	                                            : " placed elsewhere");
}

static void sum_files(void)
{
	if (boot_info.kernel_file && boot_info.kernel_file->kernel_file)
		sum_file("kernel-file", 0,
		         (const struct limine_file *)(uintptr_t)boot_info.kernel_file->kernel_file,
		         false);
	else
		log_printf("bootsum: kernel-file none\n");
	log_printf("bootsum: modules %zu\n", boot_module_count());
	for (size_t i = 0; i < boot_module_count(); i++)
		sum_file("module", i, boot_module(i), true);
}

static void sum_framebuffers(void)
{
	const struct limine_framebuffer_response *r = boot_info.framebuffer;
	uint64_t n = r ? r->framebuffer_count : 0;
	log_printf("bootsum: framebuffers %llu\n", (unsigned long long)n);
	for (uint64_t i = 0; i < n; i++) {
		const uint64_t *list = (const uint64_t *)(uintptr_t)r->framebuffers;
		const struct limine_framebuffer *fb = (const void *)(uintptr_t)list[i];
		log_printf("bootsum: framebuffer %llu %llux%llu bpp %u model %u "
		           "rgb %u@%u %u@%u %u@%u pitch-ok %s\n",
		           (unsigned long long)i, (unsigned long long)fb->width,
		           (unsigned long long)fb->height, fb->bpp, fb->memory_model,
		           fb->red_mask_size, fb->red_mask_shift, fb->green_mask_size,
		           fb->green_mask_shift, fb->blue_mask_size, fb->blue_mask_shift,
		           fb->pitch >= fb->width * (fb->bpp / 8) ? "yes" : "no");
	}
}

static void sum_smp(void)
{
	const struct limine_smp_response *r = boot_info.smp;
	if (!r) {
		log_printf("bootsum: smp none\n");
		return;
	}
	log_printf("bootsum: smp cpus %llu bsp-lapic %u x2apic %u\n",
	           (unsigned long long)r->cpu_count, r->bsp_lapic_id, r->flags & 1u);
	const uint64_t *list = (const uint64_t *)(uintptr_t)r->cpus;
	for (uint64_t i = 0; i < r->cpu_count; i++) {
		const struct limine_smp_info *c = (const void *)(uintptr_t)list[i];
		log_printf("bootsum: cpu %llu uid %u lapic %u\n", (unsigned long long)i,
		           c->processor_id, c->lapic_id);
	}
}

static const char *answered(const void *response)
{
	return response ? "answered" : "none";
}

void bootsum_print(void)
{
	const struct boot_info *b = &boot_info;
	log_printf("bootsum: begin\n");
	log_printf("bootsum: base-revision %d %s\n", BOOT_BASE_REVISION,
	           boot_revision_word() == 0 ? "accepted" : "refused");
	log_printf("bootsum: loader %s\n", answered(b->loader));
	log_printf("bootsum: firmware %s\n",
	           b->firmware ? boot_firmware_name(b->firmware->firmware_type) : "none");
	/* the HHDM and the kernel's base are random where the loader
	 * randomises them (Limine; our loader the kernel's): what both must
	 * be, not the values (the kernel logs those) */
	if (b->hhdm)
		log_printf("bootsum: hhdm higher-half %s aligned-2mib %s\n",
		           b->hhdm->offset >= 0xffff800000000000ull ? "yes" : "no",
		           b->hhdm->offset % (2ull << 20) == 0 ? "yes" : "no");
	else
		log_printf("bootsum: hhdm none\n");
	log_printf("bootsum: paging-mode %lld\n",
	           b->paging_mode ? (long long)b->paging_mode->mode : -1ll);
	log_printf("bootsum: stack-size %s\n", answered(b->stack_size));
	log_printf("bootsum: boot-time %s\n", answered(b->boot_time));
	if (b->kernel_address)
		log_printf(
		        "bootsum: kernel-virtual top-2gib %s aligned-2mib %s physical-aligned %s\n",
		        b->kernel_address->virtual_base >= 0xffffffff80000000ull ? "yes" : "no",
		        b->kernel_address->virtual_base % (2ull << 20) == 0 ? "yes" : "no",
		        b->kernel_address->physical_base % PAGE == 0 ? "yes" : "no");
	else
		log_printf("bootsum: kernel-virtual none\n");
	if (b->rsdp)
		log_printf("bootsum: rsdp %016llx\n",
		           (unsigned long long)phys_of(b->rsdp->address));
	else
		log_printf("bootsum: rsdp none\n");
	sum_files();
	sum_framebuffers();
	sum_smp();
	sum_memmap();
	log_printf("bootsum: end\n");
}
