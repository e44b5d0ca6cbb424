/* Address spaces at work on this core: mappings made, changed and removed
 * by mm/vm.c, checked with real accesses through arch_probe, which catches
 * the page fault a forbidden access raises.  Accesses that succeed through
 * a stale TLB entry (QEMU's TLB keeps translations until they are flushed,
 * as hardware does) make these tests fail, so they check invalidation too.
 * Kernel mappings use the first 2 MiB of the window, whose tables vm_init
 * made, so no case leaves a table behind for the leak check to see.
 */
#include <arch/arch.h>
#include <arch/paging.h>

#include "frame.h"
#include "hhdm.h"
#include "kheap.h"
#include "ktest.h"
#include "mm.h"
#include "vm.h"

#define PATTERN 0x5eed000000000000ull
#define LOW_VA  0x400000ull /* a lower-half address for new spaces */

static void skip_unless_ready(struct ktest *kt)
{
	KT_ASSERT(mm_ready()); /* an online core runs it */
}

/* A frame (order 0) or block whose 8-byte words are base, base+1, ... */
static uint64_t filled_block(struct ktest *kt, unsigned order, uint64_t base)
{
	uint64_t pa;
	KT_ASSERT(frame_alloc_block(order, &pa) == ERR_OK);
	uint64_t *w = hhdm_ptr(pa);
	for (uint64_t i = 0; i < (FRAME_SIZE << order) / 8; i++)
		w[i] = base + i;
	return pa;
}

static bool faults(uintptr_t va, enum arch_access kind, struct arch_fault *f)
{
	return arch_probe(va, kind, 0, false, NULL, f);
}

/* Reads va: true and *v if it did not fault. */
static bool reads(uintptr_t va, uint64_t *v)
{
	return !arch_probe(va, ARCH_ACCESS_READ, 0, false, v, NULL);
}

KTEST(vm, map_read_write_unmap)
{
	skip_unless_ready(kt);
	struct vm_space *k = vm_kernel();
	uintptr_t va = vm_window() + 0x10000;
	uint64_t pa = filled_block(kt, 0, PATTERN), v = 0;
	struct arch_fault f;

	KT_ASSERT(vm_current() == k);
	KT_ASSERT(vm_map(k, va, pa, MM_PAGE_BITS, MM_PROT_WRITE) == ERR_OK);
	KT_EXPECT(reads(va + 16, &v));
	KT_EXPECT_EQ(v, PATTERN + 2);
	KT_EXPECT(!arch_probe(va + 24, ARCH_ACCESS_WRITE, 0xabcd, false, NULL, &f));
	KT_EXPECT_EQ(((uint64_t *)hhdm_ptr(pa))[3], 0xabcd);
	KT_EXPECT_EQ(vm_map(k, va, pa, MM_PAGE_BITS, 0), ERR_EXIST);
	KT_ASSERT(vm_unmap(k, va, MM_PAGE_BITS) == ERR_OK);
	KT_EXPECT(faults(va + 16, ARCH_ACCESS_READ, &f));
	KT_EXPECT(!f.present);
	KT_EXPECT_EQ(f.addr, va + 16);
	KT_EXPECT_EQ(vm_unmap(k, va, MM_PAGE_BITS), ERR_NOENT);
	frame_free(pa);
}

KTEST(vm, read_only_write_faults_and_protect_takes_effect)
{
	skip_unless_ready(kt);
	struct vm_space *k = vm_kernel();
	uintptr_t va = vm_window() + 0x11000;
	uint64_t pa = filled_block(kt, 0, PATTERN), v;
	struct arch_fault f;

	KT_ASSERT(vm_map(k, va, pa, MM_PAGE_BITS, 0) == ERR_OK);
	KT_EXPECT(reads(va, &v));
	KT_EXPECT(faults(va, ARCH_ACCESS_WRITE, &f));
	KT_EXPECT(f.present && f.write && !f.user);
	KT_EXPECT_EQ(v, PATTERN);
	/* writable, used (so the TLB holds a writable entry), read-only again */
	KT_ASSERT(vm_protect(k, va, MM_PAGE_BITS, MM_PROT_WRITE) == ERR_OK);
	KT_EXPECT(!arch_probe(va, ARCH_ACCESS_WRITE, 7, false, NULL, &f));
	KT_ASSERT(vm_protect(k, va, MM_PAGE_BITS, 0) == ERR_OK);
	KT_EXPECT(faults(va, ARCH_ACCESS_WRITE, &f));
	KT_EXPECT_EQ(*(uint64_t *)hhdm_ptr(pa), 7);
	KT_ASSERT(vm_unmap(k, va, MM_PAGE_BITS) == ERR_OK);
	frame_free(pa);
}

KTEST(vm, no_execute_faults_on_fetch)
{
	skip_unless_ready(kt);
	struct vm_space *k = vm_kernel();
	uintptr_t va = vm_window() + 0x12000;
	uint64_t pa = filled_block(kt, 0, 0);
	struct arch_fault f;

	*(uint8_t *)hhdm_ptr(pa + 0x40) = ARCH_RETURN_INSN;
	KT_ASSERT(vm_map(k, va, pa, MM_PAGE_BITS, 0) == ERR_OK);
	KT_EXPECT(faults(va + 0x40, ARCH_ACCESS_EXEC, &f));
	KT_EXPECT(f.fetch && f.present);
	KT_EXPECT_EQ(f.addr, va + 0x40);
	KT_ASSERT(vm_protect(k, va, MM_PAGE_BITS, MM_PROT_EXEC) == ERR_OK);
	KT_EXPECT(!faults(va + 0x40, ARCH_ACCESS_EXEC, &f));
	KT_ASSERT(vm_protect(k, va, MM_PAGE_BITS, 0) == ERR_OK);
	KT_EXPECT(faults(va + 0x40, ARCH_ACCESS_EXEC, &f));
	KT_ASSERT(vm_unmap(k, va, MM_PAGE_BITS) == ERR_OK);
	frame_free(pa);
}

/* Remapping a page to another frame: the read after the change must see
 * the new frame, not a translation the TLB kept. */
KTEST(vm, remap_reads_the_new_frame)
{
	skip_unless_ready(kt);
	struct vm_space *k = vm_kernel();
	uintptr_t va = vm_window() + 0x13000;
	uint64_t a = filled_block(kt, 0, 0xa000), b = filled_block(kt, 0, 0xb000), v = 0;

	for (int round = 0; round < 4; round++) {
		uint64_t pa = round % 2 ? b : a, want = round % 2 ? 0xb000 : 0xa000;
		KT_ASSERT(vm_map(k, va, pa, MM_PAGE_BITS, 0) == ERR_OK);
		KT_EXPECT(reads(va + 8 * round, &v));
		KT_EXPECT_EQ(v, want + round);
		KT_ASSERT(vm_unmap(k, va, MM_PAGE_BITS) == ERR_OK);
	}
	frame_free(a);
	frame_free(b);
}

/* A range longer than VM_FLUSH_PAGES_MAX is flushed as a whole. */
KTEST(vm, large_range_remap_after_full_flush)
{
	skip_unless_ready(kt);
	struct vm_space *k = vm_kernel();
	uintptr_t va = vm_window() + 0x40000;
	const size_t pages = 48, len = pages * FRAME_SIZE;
	uint64_t a = filled_block(kt, 6, 0x1000000), b = filled_block(kt, 6, 0x2000000), v;
	bool ok = true;

	KT_ASSERT(pages > VM_FLUSH_PAGES_MAX);
	KT_ASSERT(vm_map_range(k, va, a, len, MM_PROT_WRITE) == ERR_OK);
	for (size_t i = 0; i < pages; i++)
		ok &= reads(va + i * FRAME_SIZE, &v) && v == 0x1000000 + i * 512;
	KT_EXPECT(ok);
	KT_ASSERT(vm_protect_range(k, va, len, 0) == ERR_OK);
	KT_EXPECT(arch_probe(va + 5 * FRAME_SIZE, ARCH_ACCESS_WRITE, 1, false, NULL, NULL));
	KT_ASSERT(vm_unmap_range(k, va, len) == ERR_OK);
	KT_ASSERT(vm_map_range(k, va, b, len, 0) == ERR_OK);
	for (size_t i = 0; i < pages; i++)
		ok &= reads(va + i * FRAME_SIZE + 8, &v) && v == 0x2000000 + i * 512 + 1;
	KT_EXPECT(ok);
	KT_ASSERT(vm_unmap_range(k, va, len) == ERR_OK);
	KT_EXPECT_EQ(vm_unmap_range(k, va, len), ERR_NOENT);
	frame_free_block(a, 6);
	frame_free_block(b, 6);
}

KTEST(vm, large_page)
{
	skip_unless_ready(kt);
	struct vm_space *k = vm_kernel();
	uintptr_t va = vm_window() + MM_LARGE_PAGE_SIZE;
	uint64_t pa = filled_block(kt, 9, PATTERN), v;
	uint64_t got_pa;
	unsigned prot, bits;

	KT_EXPECT_EQ(vm_map(k, va + 4096, pa, MM_LARGE_PAGE_BITS, 0), ERR_ALIGN);
	KT_ASSERT(vm_map(k, va, pa, MM_LARGE_PAGE_BITS, MM_PROT_WRITE) == ERR_OK);
	KT_ASSERT(vm_lookup(k, va + 0x12345, &got_pa, &prot, &bits) == ERR_OK);
	KT_EXPECT_EQ(got_pa, pa + 0x12345);
	KT_EXPECT_EQ(bits, MM_LARGE_PAGE_BITS);
	KT_EXPECT(reads(va + 0x1ffff8, &v));
	KT_EXPECT_EQ(v, PATTERN + 0x1ffff8 / 8);
	KT_ASSERT(vm_unmap(k, va, MM_LARGE_PAGE_BITS) == ERR_OK);
	KT_EXPECT(faults(va + 0x1ffff8, ARCH_ACCESS_READ, NULL));
	frame_free_block(pa, 9);
}

/* A space of its own: its lower half is seen only while it is loaded. */
KTEST(vm, spaces_switch_and_go_away)
{
	skip_unless_ready(kt);
	struct vm_space *s;
	uint64_t pa = filled_block(kt, 0, PATTERN), v;

	if (arch_mapped(LOW_VA, 8))
		KT_SKIP("the kernel space maps the test address");
	KT_ASSERT(vm_space_create(&s) == ERR_OK);
	KT_ASSERT(vm_map(s, LOW_VA, pa, MM_PAGE_BITS, 0) == ERR_OK);
	vm_activate(s);
	KT_EXPECT(vm_current() == s);
	KT_EXPECT(s->active & (1ull << vm_core()));
	KT_EXPECT(reads(LOW_VA + 8, &v));
	KT_EXPECT_EQ(v, PATTERN + 1);
	KT_EXPECT(reads((uintptr_t)hhdm_ptr(pa), &v)); /* the kernel half is there too */
	KT_EXPECT_EQ(vm_space_destroy(s), ERR_BUSY);
	vm_activate(vm_kernel());
	KT_EXPECT(!(s->active & (1ull << vm_core())));
	KT_EXPECT(faults(LOW_VA + 8, ARCH_ACCESS_READ, NULL));
	KT_EXPECT_EQ(vm_space_destroy(s), ERR_OK);
	frame_free(pa);
}

/* SMEP and SMAP: a user page is neither executed nor read by the kernel
 * unless it opens a user-access window (arch_user_access_begin). */
KTEST(vm, smep_smap_guard_user_pages)
{
	skip_unless_ready(kt);
	unsigned feat = arch_cpu_features();
	struct vm_space *s;
	struct arch_fault f;
	uint64_t pa = filled_block(kt, 0, PATTERN), v = 0;

	if (!(feat & (ARCH_FEAT_SMEP | ARCH_FEAT_SMAP)))
		KT_SKIP("neither SMEP nor SMAP");
	*(uint8_t *)hhdm_ptr(pa + 0x80) = ARCH_RETURN_INSN;
	KT_ASSERT(vm_space_create(&s) == ERR_OK);
	KT_ASSERT(vm_map(s, LOW_VA, pa, MM_PAGE_BITS,
	                 MM_PROT_USER | MM_PROT_EXEC | MM_PROT_WRITE) == ERR_OK);
	vm_activate(s);
	if (feat & ARCH_FEAT_SMAP) {
		KT_EXPECT(arch_probe(LOW_VA, ARCH_ACCESS_READ, 0, false, &v, &f));
		KT_EXPECT(f.present && !f.user && !f.fetch);
		KT_EXPECT(!arch_probe(LOW_VA, ARCH_ACCESS_READ, 0, true, &v, &f));
		KT_EXPECT_EQ(v, PATTERN);
		KT_EXPECT(!arch_probe(LOW_VA + 8, ARCH_ACCESS_WRITE, 3, true, NULL, &f));
	}
	if (feat & ARCH_FEAT_SMEP) {
		KT_EXPECT(arch_probe(LOW_VA + 0x80, ARCH_ACCESS_EXEC, 0, true, NULL, &f));
		KT_EXPECT(f.fetch && f.present);
	}
	vm_activate(vm_kernel());
	KT_EXPECT_EQ(vm_space_destroy(s), ERR_OK);
	frame_free(pa);
}

KTEST(vm, kernel_heap_objects_come_back)
{
	skip_unless_ready(kt);
	size_t objects = kheap_objects(), pages = kheap_pages();
	void *p[64];

	for (int i = 0; i < 64; i++) {
		p[i] = kheap_alloc((size_t)(i * 97) % 5000);
		KT_ASSERT(p[i] != NULL);
		KT_EXPECT(((uintptr_t)p[i] & 15) == 0);
	}
	uint8_t *z = kheap_zalloc(300);
	KT_ASSERT(z != NULL);
	KT_EXPECT(z[0] == 0 && z[299] == 0);
	kheap_free(z);
	for (int i = 63; i >= 0; i--)
		kheap_free(p[i]);
	KT_EXPECT_EQ(kheap_objects(), objects);
	KT_EXPECT_EQ(kheap_pages(), pages);
}
