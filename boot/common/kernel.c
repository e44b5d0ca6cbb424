/* The kernel: its ELF file checked and loaded as one physically contiguous
 * image (PROTOCOL.md "Entry memory layout"), relocated to a random base if
 * it is position independent (ET_DYN: KASLR, reloc.h), its requests found,
 * and its segments mapped with their permissions. */
#include <string/mem.h>

#include "boot.h"
#include "log.h"
#include "reloc.h"
#include "state.h"

/* The largest segment alignment the loader honours: the image is placed at a
 * physical address aligned to its largest p_align (elf_exec_check refuses
 * more, naming the program header). */
#define MAX_ALIGN 0x200000ull

/* Checks what the protocol adds to ELF validity: a higher-half kernel. */
static void check_higher_half(const char *path)
{
	struct elf64_phdr ph;

	for (uint16_t i = 0; i < boot.elf.phnum; i++) {
		elf_exec_phdr(&boot.elf, i, &ph);
		if (ph.p_type == ELF_PT_LOAD && ph.p_memsz && ph.p_vaddr < BOOT_KERNEL_MIN)
			boot_fatal("kernel %s: phdr[%u].p_vaddr 0x%llx is below 0x%llx", path, i,
			           (unsigned long long)ph.p_vaddr,
			           (unsigned long long)BOOT_KERNEL_MIN);
	}
}

/* Picks the base of a position-independent kernel (a random 2 MiB-aligned
 * one in the top 2 GiB unless kaslr is 0) and applies its relocations. */
static void relocate(const char *path, int kaslr)
{
	uint64_t size = boot.elf.vend - boot.elf.vbase, base = boot.elf.vbase, n;
	const char *source = "kaslr: no";
	char why[160];

	if (kaslr)
		base = reloc_pick(boot.elf.vbase, size, arch_random(&source));
	boot.slide = base - boot.elf.vbase;
	enum err e = reloc_apply(&boot.elf, boot_ptr(boot.kernel_phys), boot.slide, &n, why,
	                         sizeof(why));
	if (e)
		boot_fatal("kernel %s: cannot relocate: %s", path, why);
	boot_log("kernel relocated: base 0x%llx (%s, %llu bases), %llu relocations",
	         (unsigned long long)base, source,
	         (unsigned long long)reloc_slots(boot.elf.vbase, size), (unsigned long long)n);
}

/* Reads, checks and copies the kernel into a fresh contiguous image. */
static void load_image(void)
{
	const struct conf_entry *en = boot.entry;
	char why[160];

	enum err e = file_load(en->kernel_path, BOOT_MEM_KERNEL, en->cmdline, &boot.kernel_file);
	if (e == ERR_NOENT)
		boot_fatal("kernel %s: file not found (kernel_path on line %u)", en->kernel_path,
		           en->line);
	if (e)
		boot_fatal("kernel %s: cannot read: %s", en->kernel_path, err_str(e));
	const char *path = boot.kernel_file.path;
	boot_log("kernel %s %llu bytes", path, (unsigned long long)boot.kernel_file.size);
	/* A fixed-address executable, or a position-independent one (ET_DYN). */
	const struct elf64_ehdr *eh = boot_ptr(boot.kernel_file.phys);
	int pie = boot.kernel_file.size >= sizeof(*eh) && eh->e_type == ELF_ET_DYN;
	struct elf_expect want = {.machine = ELF_EM_X86_64,
	                          .type = pie ? ELF_ET_DYN : ELF_ET_EXEC,
	                          .max_align = MAX_ALIGN};
	e = elf_exec_check(boot_ptr(boot.kernel_file.phys), boot.kernel_file.size, &want, &boot.elf,
	                   why, sizeof(why));
	if (e)
		boot_fatal("kernel %s: bad ELF: %s", path, why);
	check_higher_half(path);
	uint64_t size = boot.elf.vend - boot.elf.vbase;
	e = fw_alloc_pages(size / BOOT_PAGE, BOOT_MEM_KERNEL, boot.elf.max_align, FW_ANYWHERE,
	                   &boot.kernel_phys);
	if (e)
		boot_fatal("kernel %s: no memory for its %llu KiB image", path,
		           (unsigned long long)(size >> 10));
	memset(boot_ptr(boot.kernel_phys), 0, size);
	elf_exec_load(&boot.elf, boot_ptr(boot.kernel_phys));
	if (pie)
		relocate(path, en->kaslr);
	boot_log("kernel image 0x%llx-0x%llx at physical 0x%llx",
	         (unsigned long long)(boot.elf.vbase + boot.slide),
	         (unsigned long long)(boot.elf.vend + boot.slide),
	         (unsigned long long)boot.kernel_phys);
}

/* Finds the requests and settles the entry point. */
static void scan_requests(void)
{
	const char *path = boot.kernel_file.path;
	char why[160];

	enum err e = req_scan(boot_ptr(boot.kernel_phys), boot.elf.vend - boot.elf.vbase, &boot.req,
	                      why, sizeof(why));
	if (e)
		boot_fatal("kernel %s: %s", path, why);
	unsigned count = 0;
	for (int k = 0; k < REQ_COUNT; k++)
		count += boot.req.req[k] != NULL;
	boot_log("kernel requests: %u known, %zu unknown; base revision %llu%s", count,
	         boot.req.unknown, (unsigned long long)boot.req.requested_revision,
	         boot.req.has_tag && !boot.req.tag_answered ? " (unsupported, using 2)" : "");
	boot.entry_point = boot.elf.entry + boot.slide;
	/* The request's pointer was relocated with the rest of the image. */
	const struct limine_entry_point_request *ep = boot.req.req[REQ_ENTRY_POINT];
	if (ep && boot.req.room[REQ_ENTRY_POINT] >= sizeof(*ep) && ep->entry)
		boot.entry_point = ep->entry; /* 0 would be no entry: keep e_entry */
	uint64_t page = boot.entry_point & ~(BOOT_PAGE - 1);
	if (boot.entry_point < boot.elf.vbase + boot.slide ||
	    boot.entry_point >= boot.elf.vend + boot.slide ||
	    !(elf_exec_page_flags(&boot.elf, page - boot.slide) & ELF_PF_X))
		boot_fatal("kernel %s: entry point 0x%llx is not in an executable segment", path,
		           (unsigned long long)boot.entry_point);
}

void kernel_load(void)
{
	load_image();
	scan_requests();
}

/* The page attributes for ELF segment flags. */
static unsigned attrs_of(uint32_t pf)
{
	return (pf & ELF_PF_W ? PT_W : 0) | (pf & ELF_PF_X ? PT_X : 0);
}

void kernel_map(struct pt *pt)
{
	uint64_t run_start = 0, run_attrs = 0;
	int in_run = 0;

	/* Walk the image page by page, mapping runs of equal attributes; pages
	 * shared by two segments get the union of their permissions. */
	for (uint64_t va = boot.elf.vbase; va <= boot.elf.vend; va += BOOT_PAGE) {
		uint32_t pf = va < boot.elf.vend ? elf_exec_page_flags(&boot.elf, va) : 0;
		unsigned attrs = attrs_of(pf);
		if (in_run && (!pf || attrs != run_attrs)) {
			uint64_t pa = boot.kernel_phys + (run_start - boot.elf.vbase);
			enum err e = pt_map(pt, run_start + boot.slide, pa, va - run_start,
			                    (unsigned)run_attrs);
			if (e)
				boot_fatal("mapping the kernel at 0x%llx: %s",
				           (unsigned long long)(run_start + boot.slide),
				           err_str(e));
			in_run = 0;
		}
		if (pf && !in_run) {
			run_start = va;
			run_attrs = attrs;
			in_run = 1;
		}
	}
}
