/* What the loader handed over: the memory map's guarantees (Limine
 * protocol, "Memory Map Feature"), where the kernel and modules sit, the
 * HHDM, the modules themselves and the parked APs. */
#include "boot.h"

#include <arch/arch.h>
#include <string/mem.h>

#include "frame.h"
#include "hhdm.h"
#include "ktest.h"
#include "memplan.h"
#include "smp.h"

extern const char __kernel_start[], __kernel_end[];

#define PAGE_MASK (FRAME_SIZE - 1)

static bool is_usable_or_reclaimable(uint64_t type)
{
	return type == LIMINE_MEMMAP_USABLE || type == LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE;
}

/* Whether [base, base + size) lies inside one entry of the given type. */
static bool inside_entry_of_type(uint64_t base, uint64_t size, uint64_t type)
{
	for (size_t i = 0; i < boot_memmap_count(); i++) {
		const struct limine_memmap_entry *e = boot_memmap_entry(i);
		if (e->type == type && base >= e->base && base + size <= e->base + e->length)
			return true;
	}
	return false;
}

KTEST_BSP(boot, memmap_sorted)
{
	size_t n = boot_memmap_count();

	KT_ASSERT(n > 0);
	for (size_t i = 1; i < n; i++)
		KT_EXPECT(boot_memmap_entry(i - 1)->base <= boot_memmap_entry(i)->base);
}

KTEST_BSP(boot, memmap_usable_aligned_and_disjoint)
{
	size_t n = boot_memmap_count();

	KT_ASSERT(n > 0);
	for (size_t i = 0; i < n; i++) {
		const struct limine_memmap_entry *a = boot_memmap_entry(i);
		if (!is_usable_or_reclaimable(a->type))
			continue;
		KT_EXPECT_EQ(a->base & PAGE_MASK, 0);
		KT_EXPECT_EQ(a->length & PAGE_MASK, 0);
		KT_EXPECT(a->base >= FRAME_SIZE || a->type != LIMINE_MEMMAP_USABLE);
		for (size_t j = 0; j < n; j++) {
			const struct limine_memmap_entry *b = boot_memmap_entry(j);
			if (j != i)
				KT_EXPECT(a->base + a->length <= b->base ||
				          b->base + b->length <= a->base);
		}
	}
}

/* Usable bytes below the 1 MiB that memplan leaves alone. */
static uint64_t low_usable(void)
{
	uint64_t low = 0;

	for (size_t i = 0; i < boot_memmap_count(); i++) {
		const struct limine_memmap_entry *e = boot_memmap_entry(i);
		if (e->type != LIMINE_MEMMAP_USABLE || e->base >= MEMPLAN_LOW_LIMIT)
			continue;
		uint64_t end = e->base + e->length;
		low += (end < MEMPLAN_LOW_LIMIT ? end : MEMPLAN_LOW_LIMIT) - e->base;
	}
	return low;
}

KTEST_BSP(boot, usable_memory_within_ram)
{
	struct arch_ram_range ram[4];
	size_t nram = arch_ram_ranges(ram, 4);
	uint64_t usable = 0, total_ram = 0;

	if (nram == 0)
		KT_SKIP("the platform does not report its RAM");
	for (size_t r = 0; r < nram; r++)
		total_ram += ram[r].size;
	for (size_t i = 0; i < boot_memmap_count(); i++) {
		const struct limine_memmap_entry *e = boot_memmap_entry(i);
		if (e->type != LIMINE_MEMMAP_USABLE)
			continue;
		bool inside = false;
		for (size_t r = 0; r < nram; r++)
			inside |= e->base >= ram[r].base &&
			          e->base + e->length <= ram[r].base + ram[r].size;
		KT_EXPECT(inside);
		usable += e->length;
	}
	KT_EXPECT(usable > 0);
	KT_EXPECT(usable <= total_ram);
	/* The cores' shares, the channel blocks and what lies below 1 MiB (left
	 * alone) account for all of it; core 0's pool is inside its share. */
	uint64_t accounted = low_usable() + chan_area_size(core_count());
	for (unsigned c = 0; c < core_count(); c++)
		if (core_info(c) && core_info(c)->state != SMP_CORE_ABSENT)
			accounted += core_info(c)->share_bytes;
	KT_EXPECT_EQ(accounted, usable);
	KT_EXPECT(frame_total_count() * FRAME_SIZE <= core_info(0)->share_bytes);
}

KTEST_BSP(boot, kernel_inside_kernel_entry)
{
	const struct limine_kernel_address_response *ka = boot_info.kernel_address;

	KT_ASSERT(ka != NULL);
	KT_EXPECT_EQ(ka->virtual_base, (uintptr_t)__kernel_start);
	KT_EXPECT_EQ(ka->physical_base & PAGE_MASK, 0);
	KT_EXPECT(inside_entry_of_type(ka->physical_base, (uint64_t)(__kernel_end - __kernel_start),
	                               LIMINE_MEMMAP_KERNEL_AND_MODULES));
}

/* KASLR (boot/common/reloc.h): the loader's executable-address response
 * names where the kernel runs, a 2 MiB-aligned base in the top 2 GiB (the
 * link base itself with "kaslr: no" or a loader that does not relocate). */
KTEST_BSP(boot, kernel_base_is_2mib_aligned_in_the_top_2gib)
{
	const struct limine_kernel_address_response *ka = boot_info.kernel_address;

	KT_ASSERT(ka != NULL);
	KT_EXPECT_EQ(ka->virtual_base, (uintptr_t)__kernel_start);
	KT_EXPECT_EQ(ka->virtual_base % 0x200000, 0);
	KT_EXPECT(ka->virtual_base >= 0xffffffff80000000ull);
	KT_EXPECT((uintptr_t)__kernel_end - 1 >= ka->virtual_base); /* no wrap past 2^64 */
	/* Code addresses agree with it: a function lies inside the image. */
	uintptr_t fn = (uintptr_t)&frame_alloc;
	KT_EXPECT(fn >= ka->virtual_base && fn < (uintptr_t)__kernel_end);
}

KTEST_BSP(boot, modules_inside_kernel_entries)
{
	if (boot_module_count() == 0)
		KT_SKIP("no modules");
	for (size_t i = 0; i < boot_module_count(); i++) {
		const struct limine_file *m = boot_module(i);
		KT_EXPECT_EQ(m->address & PAGE_MASK, 0);
		KT_EXPECT(inside_entry_of_type(hhdm_phys((const void *)(uintptr_t)m->address),
		                               m->size, LIMINE_MEMMAP_KERNEL_AND_MODULES));
	}
}

static const uint64_t hhdm_probe_const = 0x7e55e7a1c0ffee00ull;
static volatile uint64_t hhdm_probe_var;

/* The HHDM address of a kernel image address. */
static volatile uint64_t *via_hhdm(const volatile void *kernel_va)
{
	const struct limine_kernel_address_response *ka = boot_info.kernel_address;
	return hhdm_ptr(ka->physical_base + ((uintptr_t)kernel_va - ka->virtual_base));
}

KTEST_BSP(boot, hhdm_reads_match)
{
	uint64_t f;

	KT_ASSERT(boot_info.hhdm != NULL && boot_info.kernel_address != NULL);
	KT_EXPECT_EQ(*via_hhdm(&hhdm_probe_const), hhdm_probe_const);
	hhdm_probe_var = 1;
	*via_hhdm(&hhdm_probe_var) = 0x1234;
	KT_EXPECT_EQ(hhdm_probe_var, 0x1234);
	/* A fresh frame reads back what was written, and maps back to itself. */
	KT_ASSERT(frame_alloc(&f) == ERR_OK);
	volatile uint64_t *p = hhdm_ptr(f);
	p[0] = f ^ 0x5555;
	p[511] = ~f;
	KT_EXPECT_EQ(p[0], f ^ 0x5555);
	KT_EXPECT_EQ(p[511], ~f);
	KT_EXPECT_EQ(hhdm_phys((const void *)p), f);
	frame_free(f);
}

/* The motd module from the image: its path, command line and text. */
KTEST_BSP(boot, motd_module)
{
	const struct limine_file *motd = NULL;

	for (size_t i = 0; i < boot_module_count(); i++) {
		const char *path = boot_str(boot_module(i)->path);
		size_t len = strlen(path);
		if (len >= 9 && strcmp(path + len - 9, "/motd.txt") == 0)
			motd = boot_module(i);
	}
	if (!motd)
		KT_SKIP("no motd.txt module");
	KT_EXPECT_STREQ(boot_str(motd->cmdline), "motd.txt");
	KT_ASSERT(motd->size > 0 && motd->size < 4096);
	const char *text = (const char *)(uintptr_t)motd->address;
	bool printable = true, names_us = false;
	for (size_t i = 0; i < motd->size; i++) {
		printable &= (text[i] >= 0x20 && text[i] < 0x7f) || text[i] == '\n';
		names_us |= i + 7 <= motd->size && memcmp(text + i, "Tessera", 7) == 0;
	}
	KT_EXPECT(printable);
	KT_EXPECT(names_us);
	KT_EXPECT_EQ(text[motd->size - 1], '\n');
}

/* The loader's CPU list: the BSP once; every AP released through our
 * entry except the ones held back, which stay parked. */
KTEST_BSP(boot, smp_cpus_released)
{
	const struct limine_smp_response *smp = boot_info.smp;

	if (!smp)
		KT_SKIP("no SMP response");
	KT_ASSERT(smp->cpu_count >= 1);
	const uint64_t *cpus = (const uint64_t *)(uintptr_t)smp->cpus;
	size_t bsp_seen = 0;
	for (uint64_t i = 0; i < smp->cpu_count; i++) {
		const struct limine_smp_info *c = (const void *)(uintptr_t)cpus[i];
		bool bsp = c->lapic_id == smp->bsp_lapic_id, released = false;
		bsp_seen += bsp;
		for (unsigned k = 1; k < core_count(); k++)
			released |= core_info(k)->hwid == c->lapic_id &&
			            core_info(k)->state == SMP_CORE_RELEASED;
		KT_EXPECT_EQ(c->goto_address, released ? (uintptr_t)arch_ap_entry : 0);
	}
	KT_EXPECT_EQ(bsp_seen, 1);
}

KTEST_BSP(boot, loader_answered_requests)
{
	const struct boot_info *b = &boot_info;

	KT_EXPECT_EQ(boot_revision_word(), 0);
	KT_EXPECT(b->loader && boot_str(b->loader->name)[0] != 0);
	KT_EXPECT(b->firmware != NULL);
	KT_EXPECT(b->hhdm && b->memmap && b->kernel_file && b->kernel_address);
	KT_EXPECT(b->stack_size != NULL);
	KT_EXPECT(b->paging_mode && b->paging_mode->mode == ARCH_LIMINE_PAGING_MODE);
}
