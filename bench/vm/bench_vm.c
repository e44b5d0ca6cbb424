/* In-guest memory benchmark (the bench-vm kernel only), on core 0, in
 * cycles of the cycle counter per operation, best of several rounds:
 *   frame 4K / 2M    frame_alloc_block then frame_free_block (the core's
 *                    lib/buddy pool, the same code bench-mm times on the
 *                    host)
 *   map+unmap 4K     vm_map then vm_unmap of one page of the kernel window,
 *                    the unmap's INVLPG included, tables already there
 *   map+unmap 2M     the same with a 2 MiB page
 *   cap map+unmap    vspace_map_frame then vspace_unmap: page-table caps,
 *                    rights checked, kdata kept
 *   kheap 64 B       kheap_alloc then kheap_free
 * and each against a 4 KiB frame alloc+free measured in the same run.  Under
 * QEMU TCG the cycles are the emulator's: compare the ratios.
 */
#include <arch/arch.h>
#include <fmt/fmt.h>

#include "cap/cnode.h"
#include "capboot/capboot.h"
#include "frame.h"
#include "log.h"
#include "mm/kheap.h"
#include "mm/mm.h"
#include "mm/vm.h"
#include "mm/vspace.h"

#define ROUNDS 5
#define N      4000

void bench_run(void);

struct op {
	const char *name;
	unsigned n;
	bool (*run)(unsigned n); /* false: it failed */
};

static uint64_t block_pa;

static bool frames_4k(unsigned n)
{
	uint64_t pa;
	for (unsigned i = 0; i < n; i++) {
		if (frame_alloc_block(0, &pa))
			return false;
		frame_free_block(pa, 0);
	}
	return true;
}

static bool frames_2m(unsigned n)
{
	uint64_t pa;
	for (unsigned i = 0; i < n; i++) {
		if (frame_alloc_block(9, &pa))
			return false;
		frame_free_block(pa, 9);
	}
	return true;
}

static bool map_unmap(unsigned n, unsigned bits, uintptr_t va)
{
	struct vm_space *k = vm_kernel();
	for (unsigned i = 0; i < n; i++)
		if (vm_map(k, va, block_pa, bits, MM_PROT_WRITE) || vm_unmap(k, va, bits))
			return false;
	return true;
}

static bool map_4k(unsigned n)
{
	return map_unmap(n, MM_PAGE_BITS, vm_window() + 0x20000);
}

static bool map_2m(unsigned n)
{
	return map_unmap(n, MM_LARGE_PAGE_BITS, vm_window() + MM_LARGE_PAGE_SIZE);
}

static struct cte cn, ut;

static struct cte *slot(uint64_t i)
{
	return cnode_slot(capboot_env(), &cn.cap, i);
}

static bool cap_map(unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (vspace_map_frame(slot(1), slot(5), 0x40000000, CAP_RIGHT_READ | CAP_RIGHT_WRITE,
		                     0) ||
		    vspace_unmap(slot(5)))
			return false;
	return true;
}

static bool heap(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		void *p = kheap_alloc(64);
		if (!p)
			return false;
		kheap_free(p);
	}
	return true;
}

/* A cap space with tables linked at 1 GiB and a frame in slot 5. */
static bool cap_setup(void)
{
	static const uint8_t types[] = {CAP_PML4, CAP_PDPT, CAP_PD, CAP_PT, CAP_FRAME};
	if (vspace_root_type() != CAP_PML4 || capboot_make_space(6, 16, &cn, &ut))
		return false;
	for (unsigned i = 0; i < 5; i++) {
		struct cap_retype_args a = {.offset = i * 4096ull,
		                            .count = 1,
		                            .dest_index = i + 1,
		                            .type = types[i],
		                            .obj_bits = 12};
		if (cap_retype(capboot_env(), &ut, &cn, &a))
			return false;
	}
	return !vspace_map_table(slot(1), slot(2), 0) &&
	       !vspace_map_table(slot(1), slot(3), 0x40000000) &&
	       !vspace_map_table(slot(1), slot(4), 0x40000000);
}

/* Best cycles per operation over ROUNDS rounds; 0 if it failed. */
static uint64_t measure(const struct op *op)
{
	uint64_t best = UINT64_MAX;
	for (unsigned r = 0; r < ROUNDS; r++) {
		uint64_t t0 = arch_cycles();
		if (!op->run(op->n))
			return 0;
		uint64_t t = (arch_cycles() - t0) / op->n;
		best = t < best ? t : best;
	}
	return best;
}

void bench_run(void)
{
	static const struct op ops[] = {
	        {"frame 4K alloc+free", N, frames_4k}, {"frame 2M alloc+free", N / 4, frames_2m},
	        {"map+unmap 4K (INVLPG)", N, map_4k},  {"map+unmap 2M (INVLPG)", N, map_2m},
	        {"cap map+unmap 4K", N, cap_map},      {"kheap 64 B alloc+free", N, heap},
	};
	uint64_t base = 0;
	bool ok = mm_ready() && !frame_alloc_block(9, &block_pa) && cap_setup();

	log_printf("bench-vm: core 0, cycles per operation (best of %d rounds), ratio to a 4 KiB "
	           "frame alloc+free\n",
	           ROUNDS);
	for (unsigned i = 0; ok && i < sizeof ops / sizeof ops[0]; i++) {
		uint64_t c = measure(&ops[i]);
		char ratio[16];
		base = i == 0 ? c : base;
		ok = c != 0;
		fmt_snprintf(ratio, sizeof ratio, "%llu.%02llu", (unsigned long long)(c / base),
		             (unsigned long long)(c * 100 / base % 100));
		log_printf("bench-vm:   %-26s %7llu  x%s\n", ops[i].name, (unsigned long long)c,
		           ratio);
	}
	if (!ok)
		log_printf("bench-vm: a step failed; figures incomplete\n");
	arch_emulator_exit(ok);
}
