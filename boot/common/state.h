/* The loader's state between boot stages (internal to boot/common). */
#ifndef BOOT_COMMON_STATE_H
#define BOOT_COMMON_STATE_H

#include <elf/load.h>
#include <fat/fat.h>
#include <paging.h> /* boot/common/arch/$(ARCH)/ through the include path */

#include "acpi.h"
#include "arch.h"
#include "conf.h"
#include "fw.h"
#include "requests.h"

#define BOOT_MAX_MODULES 64

/* A file read into memory, described as the Limine file structure needs. */
struct boot_file {
	uint64_t phys;
	uint64_t size;
	const char *path;    /* "/dir/name" on the volume (reclaimable memory) */
	const char *cmdline; /* reclaimable memory; "" if none */
};

struct boot_state {
	struct boot_volume vol;
	struct fat_volume *fat;
	const char *conf_path;
	struct conf conf;
	const struct conf_entry *entry;

	struct boot_file kernel_file;
	struct elf_exec elf;
	uint64_t kernel_phys; /* physical address of the image's vbase */
	uint64_t slide;       /* run address minus link address (0 unless relocated) */
	uint64_t entry_point;
	struct req_set req;
	struct boot_file modules[BOOT_MAX_MODULES];
	size_t module_count;

	struct boot_platform plat;
	struct acpi_info acpi; /* from the MADT; zero if none */
	struct boot_fb fb;
	int have_fb;
	struct arch_caps caps;
	struct pt pt;
	uint64_t stack_phys, stack_size;
	uint64_t gdt_phys;

	/* memory map storage, all allocated before fw_exit */
	struct boot_mmap raw;
	struct limine_memmap_entry *norm;
	size_t norm_cap, norm_count;
	uint64_t *scratch;
	struct boot_exit_info exit;
};

extern struct boot_state boot;

/* file.c */
void file_mount(void);
enum err file_load(const char *spec, enum boot_mem kind, const char *cmdline,
                   struct boot_file *out);
enum err file_read_small(const char *path, char **text, size_t *len);

/* kernel.c */
void kernel_load(void);
void kernel_map(struct pt *pt);

/* space.c */
void space_build(void);

/* proto.c */
void proto_answer(void);
void proto_memmap_prepare(void);
void proto_memmap_finish(void);

/* smp.c */
void smp_prepare(void);
void smp_start(void);

#endif
