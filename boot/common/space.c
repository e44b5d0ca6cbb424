/* The kernel's address space (PROTOCOL.md "Entry memory layout", "Caching"):
 * the HHDM at BOOT_HHDM_BASE over [0, 4 GiB) and the memory map, the
 * framebuffer write-combining, the kernel at its link address, for base
 * revision 0 the identity map too, and the trampoline identity-mapped. */
#include <string/mem.h>

#include "boot.h"
#include "log.h"
#include "mmap.h"
#include "state.h"

#define POOL_PAGES 16

/* Table pages come from chunks of bootloader-reclaimable pages. */
static struct {
	uint64_t next, end;
} pool;

static enum err pool_alloc(void *ctx, uint64_t *phys)
{
	if (pool.next == pool.end) {
		uint8_t *chunk = boot_alloc_pages(POOL_PAGES, BOOT_MEM_RECLAIMABLE);
		pool.next = boot_phys(chunk);
		pool.end = pool.next + POOL_PAGES * BOOT_PAGE;
	}
	*phys = pool.next;
	pool.next += BOOT_PAGE;
	memset(boot_ptr(*phys), 0, BOOT_PAGE);
	return ERR_OK;
}

static void *phys_ptr(void *ctx, uint64_t phys)
{
	return boot_ptr(phys);
}

static void map(uint64_t va, uint64_t pa, uint64_t size, unsigned attrs, const char *what)
{
	enum err e = pt_map(&boot.pt, va, pa, size, attrs);
	if (e)
		boot_fatal("page tables: mapping %s 0x%llx+0x%llx: %s", what,
		           (unsigned long long)pa, (unsigned long long)size, err_str(e));
}

/* The current firmware map, with the framebuffer added. */
static void snapshot(struct boot_mmap *m)
{
	m->cap = 0;
	m->entries = NULL;
	enum err e = fw_memmap(m);
	if (e == ERR_NOSPC) {
		m->cap = m->count + 32;
		m->entries = boot_alloc(m->cap * sizeof(*m->entries));
		e = fw_memmap(m);
	}
	if (e)
		boot_fatal("cannot read the firmware memory map: %s", err_str(e));
	if (boot.have_fb && m->count < m->cap)
		m->entries[m->count++] = (struct limine_memmap_entry){boot.fb.phys, boot.fb.size,
		                                                      LIMINE_MEMMAP_FRAMEBUFFER};
}

/* The direct maps: HHDM always, identity for base revision 0 (without the
 * first page). */
static void map_direct(void)
{
	struct boot_mmap m;
	size_t n;

	snapshot(&m);
	struct limine_memmap_entry *r = boot_alloc((m.count + 1) * sizeof(*r));
	int rev0 = boot.req.base_revision == 0;
	enum err e = mmap_hhdm_ranges(m.entries, m.count, rev0, r, m.count + 1, &n);
	if (e)
		boot_fatal("page tables: %s", err_str(e));
	for (size_t i = 0; i < n; i++) {
		map(boot_hhdm(r[i].base), r[i].base, r[i].length, PT_W | PT_X, "HHDM");
		uint64_t base = r[i].base ? r[i].base : BOOT_PAGE;
		if (rev0 && r[i].base + r[i].length > base)
			map(base, base, r[i].base + r[i].length - base, PT_W | PT_X, "identity");
	}
	if (!boot.have_fb)
		return;
	uint64_t fb = boot.fb.phys & ~(BOOT_PAGE - 1);
	uint64_t size = (boot.fb.phys + boot.fb.size + BOOT_PAGE - 1 - fb) & ~(BOOT_PAGE - 1);
	map(boot_hhdm(fb), fb, size, PT_W | PT_WC, "framebuffer");
	if (rev0)
		map(fb, fb, size, PT_W | PT_WC, "framebuffer");
}

void space_build(void)
{
	static const struct pt_ops ops = {.alloc = pool_alloc, .ptr = phys_ptr};
	uint64_t tramp, tramp_size;

	arch_caps(&boot.caps);
	enum err e = pt_init(&boot.pt, &ops, boot.caps.nx, boot.caps.huge_1g, boot.caps.pat);
	if (e)
		boot_fatal("page tables: %s", err_str(e));
	map_direct();
	kernel_map(&boot.pt);
	arch_trampoline_range(&tramp, &tramp_size);
	if (boot.req.base_revision != 0) /* else the identity map covers it */
		map(tramp, tramp, tramp_size, PT_X, "trampoline");
	boot_log("page tables: %llu pages; NX %s, 1 GiB pages %s, PAT %s",
	         (unsigned long long)boot.pt.tables, boot.caps.nx ? "yes" : "no",
	         boot.caps.huge_1g ? "yes" : "no", boot.caps.pat ? "yes" : "no");
}
