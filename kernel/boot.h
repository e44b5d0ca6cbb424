/* What the loader told the kernel through the Limine boot protocol (base
 * revision 2).  boot_collect() reads every response once; a feature the
 * loader did not answer stays NULL, and callers check before use.
 */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/limine.h>

/* The base revision this kernel is written against. */
#define BOOT_BASE_REVISION 2

/* Stack size requested for the BSP (and, later, each AP). */
#define BOOT_STACK_SIZE (64 * 1024)

struct boot_info {
	const struct limine_bootloader_info_response *loader;
	const struct limine_firmware_type_response *firmware;
	const struct limine_stack_size_response *stack_size;
	const struct limine_hhdm_response *hhdm;
	const struct limine_framebuffer_response *framebuffer;
	const struct limine_paging_mode_response *paging_mode;
	const struct limine_smp_response *smp;
	const struct limine_memmap_response *memmap;
	const struct limine_kernel_file_response *kernel_file;
	const struct limine_module_response *modules;
	const struct limine_rsdp_response *rsdp;
	const struct limine_boot_time_response *boot_time;
	const struct limine_kernel_address_response *kernel_address;
};

extern struct boot_info boot_info;

/* The third word of the base revision tag as the loader left it: 0 when it
 * accepted BOOT_BASE_REVISION. */
uint64_t boot_revision_word(void);

/* Reads the response pointer of every request into boot_info. */
void boot_collect(void);

/* Memory map entry i (i < boot_memmap_count()). */
size_t boot_memmap_count(void);
const struct limine_memmap_entry *boot_memmap_entry(size_t i);

/* Module i (i < boot_module_count()). */
size_t boot_module_count(void);
const struct limine_file *boot_module(size_t i);

/* The first framebuffer, or NULL. */
const struct limine_framebuffer *boot_framebuffer(void);

/* Number of CPUs the loader found (1 without an SMP response). */
uint64_t boot_cpu_count(void);

/* Readable names for a firmware type and a memory map entry type. */
const char *boot_firmware_name(uint64_t type);
const char *boot_memmap_type_name(uint64_t type);

/* A response string (a NUL-terminated HHDM pointer), "" if absent. */
const char *boot_str(uint64_t ptr);

#endif
