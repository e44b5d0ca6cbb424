/* The boot core builds every core's CPU driver: memory share, private copy
 * of the kernel's data, stack, page tables, channel blocks and boot
 * handoff; then it releases the APs and moves itself onto its own tables.
 *
 * THE INVARIANT (ARCHITECTURE.md, principle 2): no lock and no shared
 * mutable kernel variable exists between cores other than the URPC channel
 * blocks and the one-time boot handoff.  It is enforced here, twice:
 *  - copy_data: every AP's writable kernel data (.data and .bss: every
 *    kernel global) is its own physical copy, made from the pristine
 *    PT_LOAD image in the kernel file (never from core 0's live data, which
 *    holds core 0's state and the loader's answers), with .bss zeroed and
 *    the image's R_X86_64_RELATIVE words replayed with the loader's slide
 *    (KASLR).  Core 0 keeps the copy the loader loaded and relocated.
 *  - build_core (map_image, map_hhdm): each core's page tables map the data
 *    address to that core's copy only, and its HHDM maps only its own
 *    memory (share and data copy), the channel blocks it is a side of, the
 *    boot information read-only, and devices (core 0: the framebuffer).
 *    No other core's data copy, stack, page tables or pool is mapped
 *    anywhere, so no pointer can reach it by accident.  (Later, memory
 *    changes hands only explicitly: MEM_DONATE blocks, by message, and the
 *    untyped region of a core that never reports in, which core 0 keeps
 *    and maps; capboot.h.)
 * The handoff is written before the core runs and only read after.
 * smp_test.c checks both halves on every core (smp.isolation).
 */
#include <arch/arch.h>
#include <buddy/buddy.h>
#include <elf/elf.h>
#include <string/mem.h>

#include "boot.h"
#include "cmdline.h"
#include "hhdm.h"
#include "log.h"
#include "smp.h"

#define PAGE 4096ull

extern const char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern const char __data_start[], __data_end[], __kernel_start[];
extern const struct elf64_rela __rela_start[], __rela_end[];

#define R_X86_64_RELATIVE 8 /* x86-64 psABI, table "Relocation Types" */

/* What every core's build shares. */
struct build_env {
	uint64_t hhdm;
	unsigned ncores;                 /* reported by the loader, at most SMP_MAX_CORES */
	const uint8_t *data_image;       /* the data segment's bytes in the kernel file */
	uint64_t data_link;              /* the data segment's link address (p_vaddr) */
	uint64_t slide;                  /* run address minus link address (KASLR) */
	uint64_t data_filesz, data_size; /* bytes in the file; bytes in memory (pages) */
	uint64_t data0_phys;             /* core 0's data, physically contiguous */
	struct memplan_range chan;       /* every channel block */
	uint64_t cycles_hz;
	uint64_t kernel_file, kernel_file_size;
	uint64_t text_phys, rodata_phys;
};

/* Boot structures are carved from the front of a share's ranges: used[k]
 * bytes of range k. */
struct carve {
	const struct memplan_share *share;
	uint64_t used[MEMPLAN_MAX_RANGES];
};

/* Takes `pages` contiguous pages from the first range with room. */
static enum err carve_pages(struct carve *c, uint64_t pages, uint64_t *phys)
{
	for (size_t k = 0; k < c->share->n; k++) {
		const struct memplan_range *r = &c->share->r[k];
		if (r->size - c->used[k] >= pages * PAGE) {
			*phys = r->base + c->used[k];
			c->used[k] += pages * PAGE;
			return ERR_OK;
		}
	}
	return ERR_NOMEM;
}

/* arch_frame_fn for page tables. */
static enum err carve_frame(void *ctx, uint64_t *phys)
{
	return carve_pages(ctx, 1, phys);
}

/* The lowest PT_LOAD address of the file: the image's link base. */
static uint64_t link_base(const struct elf_file *elf)
{
	uint64_t lo = UINT64_MAX;

	for (size_t i = 0; i < elf->ehdr->e_phnum; i++) {
		const struct elf64_phdr *ph = elf_phdr(elf, i);
		if (ph->p_type == ELF_PT_LOAD && ph->p_memsz && ph->p_vaddr < lo)
			lo = ph->p_vaddr;
	}
	return lo;
}

/* The kernel data segment's file image: the writable PT_LOAD at the
 * linked data address, checked against the linker's bounds; and the slide
 * the loader applied (where __kernel_start runs minus the link base). */
static enum err find_data_image(struct build_env *env)
{
	const struct limine_kernel_file_response *r = boot_info.kernel_file;
	const struct limine_file *f = r ? (const void *)(uintptr_t)r->kernel_file : NULL;
	struct elf_file elf;

	if (!f || elf_open(&elf, (const void *)(uintptr_t)f->address, f->size) != ERR_OK)
		return ERR_NOENT;
	env->kernel_file = f->address;
	env->kernel_file_size = f->size;
	env->data_size = (uint64_t)(__data_end - __data_start);
	env->slide = (uintptr_t)__kernel_start - link_base(&elf);
	for (size_t i = 0; i < elf.ehdr->e_phnum; i++) {
		const struct elf64_phdr *ph = elf_phdr(&elf, i);
		if (ph->p_type != ELF_PT_LOAD || !(ph->p_flags & ELF_PF_W))
			continue;
		if (ph->p_vaddr + env->slide != (uintptr_t)__data_start ||
		    ph->p_memsz > env->data_size || ph->p_filesz > ph->p_memsz ||
		    ph->p_offset + ph->p_filesz > f->size)
			return ERR_CORRUPT;
		env->data_image = elf.data + ph->p_offset;
		env->data_filesz = ph->p_filesz;
		env->data_link = ph->p_vaddr;
		return ERR_OK;
	}
	return ERR_NOENT;
}

/* Replays the relocations that patch the data segment on a pristine copy of
 * its file bytes: each R_X86_64_RELATIVE word becomes addend + slide, as
 * the loader wrote it in core 0's data.  ERR_CORRUPT for any other type or
 * a word outside the file bytes. */
static enum err relocate_copy(const struct build_env *env, uint8_t *copy)
{
	for (const struct elf64_rela *r = __rela_start; r < __rela_end; r++) {
		if (r->r_offset < env->data_link || r->r_offset >= env->data_link + env->data_size)
			continue;
		uint64_t off = r->r_offset - env->data_link, word = r->r_addend + env->slide;
		if ((uint32_t)r->r_info != R_X86_64_RELATIVE || off + 8 > env->data_filesz) {
			log_printf("smp: relocation at %#llx (type %u) cannot be replayed\n",
			           (unsigned long long)r->r_offset, (unsigned)(uint32_t)r->r_info);
			return ERR_CORRUPT;
		}
		memcpy(copy + off, &word, sizeof(word));
	}
	return ERR_OK;
}

/* Core 0's data: where the loader put it; it must be physically contiguous
 * (the Limine protocol loads the kernel in one piece), so that one range
 * can be kept out of every other core's map. */
static enum err find_data0(struct build_env *env)
{
	uint64_t first, p;

	if (!arch_virt_to_phys((uintptr_t)__data_start, &first))
		return ERR_NOENT;
	for (uint64_t off = PAGE; off < env->data_size; off += PAGE)
		if (!arch_virt_to_phys((uintptr_t)__data_start + off, &p) || p != first + off)
			return ERR_UNSUPPORTED;
	env->data0_phys = first;
	return ERR_OK;
}

/* A core's data: core 0 keeps the loaded one; every other core gets a copy
 * of the pristine file image with .bss (the rest) zeroed.  See the
 * invariant at the top. */
static enum err copy_data(const struct build_env *env, unsigned c, struct carve *cv, uint64_t *phys)
{
	if (c == 0) {
		*phys = env->data0_phys;
		return ERR_OK;
	}
	enum err e = carve_pages(cv, env->data_size / PAGE, phys);
	if (e != ERR_OK)
		return e;
	uint8_t *copy = hhdm_ptr(*phys);
	memcpy(copy, env->data_image, env->data_filesz);
	memset(copy + env->data_filesz, 0, env->data_size - env->data_filesz);
	return relocate_copy(env, copy);
}

/* Maps [va, va + size) page by page to wherever the loader put it. */
static enum err map_as_loaded(struct arch_space *s, const char *va, const char *end, unsigned flags)
{
	for (; va < end; va += PAGE) {
		uint64_t phys;
		if (!arch_virt_to_phys((uintptr_t)va, &phys))
			return ERR_NOENT;
		enum err e = arch_space_map(s, (uintptr_t)va, phys, PAGE, flags);
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

/* The kernel image: text and rodata shared by every core (the same
 * physical pages, R-X and R--), the data address to this core's copy. */
static enum err map_image(const struct build_env *env, struct arch_space *s, uint64_t data)
{
	enum err e = map_as_loaded(s, __text_start, __text_end, ARCH_MAP_EXEC);
	if (e == ERR_OK)
		e = map_as_loaded(s, __rodata_start, __rodata_end, 0);
	if (e == ERR_OK)
		e = arch_space_map(s, (uintptr_t)__data_start, data, env->data_size,
		                   ARCH_MAP_WRITE);
	return e;
}

/* Maps physical [base, end), widened to pages, at its HHDM address, except
 * for the pages of [hole, hole_end). */
static enum err map_phys(const struct build_env *env, struct arch_space *s, uint64_t base,
                         uint64_t end, uint64_t hole, uint64_t hole_end, unsigned flags)
{
	base &= ~(PAGE - 1);
	end = (end + PAGE - 1) & ~(PAGE - 1);
	if (hole < end && base < hole_end) {
		enum err e = hole > base ? map_phys(env, s, base, hole, 0, 0, flags) : ERR_OK;
		if (e != ERR_OK || hole_end >= end)
			return e;
		base = hole_end;
	}
	return base < end ? arch_space_map(s, env->hhdm + base, base, end - base, flags) : ERR_OK;
}

/* The boot information every core may read: the loader's structures
 * (bootloader-reclaimable) and the kernel file and modules; never core 0's
 * data, which sits inside the kernel's entry.  Core 0 also gets the
 * framebuffer.  Read-only, so it is no channel for shared state either. */
static enum err map_boot_info(const struct build_env *env, struct arch_space *s, unsigned c)
{
	uint64_t hole = c ? env->data0_phys : 0, hole_end = c ? hole + env->data_size : 0;
	enum err e = ERR_OK;

	for (size_t i = 0; i < boot_memmap_count() && e == ERR_OK; i++) {
		const struct limine_memmap_entry *m = boot_memmap_entry(i);
		uint64_t end = m->base + m->length;
		if (m->type == LIMINE_MEMMAP_BOOTLOADER_RECLAIMABLE ||
		    m->type == LIMINE_MEMMAP_KERNEL_AND_MODULES)
			e = map_phys(env, s, m->base, end, hole, hole_end, 0);
		else if (m->type == LIMINE_MEMMAP_FRAMEBUFFER && c == 0)
			e = map_phys(env, s, m->base, end, 0, 0, ARCH_MAP_WRITE);
	}
	return e;
}

/* This core's HHDM (see the invariant at the top): its own memory, its
 * channel blocks, the boot information.  The first mapping of a page wins,
 * so the writable ones come first. */
static enum err map_hhdm(const struct build_env *env, struct arch_space *s, unsigned c,
                         const struct memplan_share *share, uint64_t data)
{
	enum err e = ERR_OK;

	for (size_t k = 0; k < share->n && e == ERR_OK; k++)
		e = map_phys(env, s, share->r[k].base, share->r[k].base + share->r[k].size, 0, 0,
		             ARCH_MAP_WRITE);
	if (e == ERR_OK)
		e = map_phys(env, s, data, data + env->data_size, 0, 0, ARCH_MAP_WRITE);
	for (unsigned p = 0; p < env->ncores && e == ERR_OK; p++) {
		if (p == c)
			continue;
		uint64_t block =
		        env->chan.base + chan_block_index(c, p, env->ncores) * CHAN_BLOCK_STRIDE;
		e = map_phys(env, s, block, block + CHAN_BLOCK_STRIDE, 0, 0, ARCH_MAP_WRITE);
	}
	if (e == ERR_OK)
		e = map_boot_info(env, s, c);
	if (e == ERR_OK)
		e = arch_space_map_platform(s, env->hhdm);
	return e;
}

/* Fills the handoff's memory fields: the buddy span and metadata, the
 * share minus what the boot structures took (the pool), and the untyped
 * region cut from it. */
static void handoff_memory(struct smp_handoff *h, const struct carve *cv, uint64_t meta,
                           uint64_t meta_size)
{
	h->span = memplan_span(cv->share);
	h->meta_phys = meta;
	h->meta_size = meta_size;
	h->nfree = 0;
	for (size_t k = 0; k < cv->share->n; k++) {
		const struct memplan_range *r = &cv->share->r[k];
		if (cv->used[k] < r->size)
			h->free[h->nfree++] = (struct memplan_range){r->base + cv->used[k],
			                                             r->size - cv->used[k]};
	}
	memplan_untyped(h->free, h->nfree, &h->untyped);
	core_set_untyped(h->self, &h->untyped);
}

/* Builds core c from its share; its handoff's physical address to *out. */
static enum err build_core(const struct build_env *env, unsigned c,
                           const struct memplan_share *share, uint64_t *out)
{
	struct carve cv = {.share = share};
	struct memplan_range span = memplan_span(share);
	uint64_t meta_size = buddy_meta_size(span.size), hp, data, stack, meta;
	struct arch_space s;

	enum err e = meta_size ? carve_pages(&cv, 1, &hp) : ERR_RANGE;
	if (e == ERR_OK)
		e = copy_data(env, c, &cv, &data);
	if (e == ERR_OK)
		e = carve_pages(&cv, SMP_STACK_SIZE / PAGE, &stack);
	if (e == ERR_OK)
		e = carve_pages(&cv, (meta_size + PAGE - 1) / PAGE, &meta);
	if (e == ERR_OK)
		e = arch_space_init(&s, carve_frame, &cv);
	if (e == ERR_OK)
		e = map_image(env, &s, data);
	if (e == ERR_OK)
		e = arch_space_map(&s, ARCH_STACK_TOP - SMP_STACK_SIZE, stack, SMP_STACK_SIZE,
		                   ARCH_MAP_WRITE);
	if (e == ERR_OK)
		e = map_hhdm(env, &s, c, share, data);
	if (e != ERR_OK)
		return e;
	struct smp_handoff *h = hhdm_ptr(hp);
	memset(h, 0, sizeof *h);
	h->start = (struct arch_ap_start){s.root, ARCH_STACK_TOP};
	h->magic = SMP_HANDOFF_MAGIC;
	h->self = c;
	h->ncores = env->ncores;
	h->hhdm_offset = env->hhdm;
	h->cycles_hz = env->cycles_hz;
	handoff_memory(h, &cv, meta, meta_size);
	h->chan_phys = env->chan.base;
	h->kernel_file = env->kernel_file;
	h->kernel_file_size = env->kernel_file_size;
	h->cmdline = (uintptr_t)cmdline_raw();
	h->memmap = (uintptr_t)boot_info.memmap;
	h->modules = (uintptr_t)boot_info.modules;
	h->text_phys = env->text_phys;
	h->rodata_phys = env->rodata_phys;
	h->cores[c] = (struct smp_core){.state = SMP_CORE_BUILT,
	                                .data_phys = data,
	                                .share_base = span.base,
	                                .share_bytes = share->bytes};
	log_printf("smp: core %u: %llu MiB from %#llx, data at %#llx, %zu page-table pages\n", c,
	           (unsigned long long)(share->bytes >> 20), (unsigned long long)span.base,
	           (unsigned long long)data, s.tables);
	*out = hp;
	return ERR_OK;
}

/* The loader's CPUs in core order: core 0 is the BSP (NULL without an SMP
 * response), the others follow in the response's order. */
static unsigned cpu_list(struct limine_smp_info **out)
{
	const struct limine_smp_response *r = boot_info.smp;
	unsigned n = 1;

	out[0] = NULL;
	if (!r)
		return 1;
	const uint64_t *cpus = (const uint64_t *)(uintptr_t)r->cpus;
	for (uint64_t i = 0; i < r->cpu_count; i++) {
		struct limine_smp_info *info = (void *)(uintptr_t)cpus[i];
		if (info->lapic_id == r->bsp_lapic_id)
			out[0] = info;
		else if (n < SMP_MAX_CORES)
			out[n++] = info;
	}
	return n;
}

/* Everything the builds share; ERR_* with a reason logged. */
static enum err prepare(struct build_env *env, unsigned ncores)
{
	enum err e = ERR_NOENT;
	const char *what = "no HHDM or memory map from the loader";

	if (boot_info.hhdm && boot_memmap_count()) {
		env->hhdm = boot_info.hhdm->offset;
		env->ncores = ncores;
		what = "no usable kernel file image of the data segment";
		e = find_data_image(env);
	}
	if (e == ERR_OK) {
		what = "the kernel's data segment is not physically contiguous";
		e = find_data0(env);
	}
	if (e == ERR_OK) {
		what = "the kernel text is not mapped";
		bool ok = arch_virt_to_phys((uintptr_t)__text_start, &env->text_phys) &&
		          arch_virt_to_phys((uintptr_t)__rodata_start, &env->rodata_phys);
		e = ok ? ERR_OK : ERR_NOENT;
	}
	if (e == ERR_OK) {
		what = "the cycle counter could not be calibrated against the PIT";
		e = arch_clock_calibrate(&env->cycles_hz);
	}
	if (e != ERR_OK)
		log_printf("smp: %s (%s)\n", what, err_str(e));
	return e;
}

/* The usable entries of the memory map. */
static size_t usable_ranges(struct memplan_range *out)
{
	size_t n = 0;

	for (size_t i = 0; i < boot_memmap_count() && n < MEMPLAN_MAX_INPUT; i++) {
		const struct limine_memmap_entry *m = boot_memmap_entry(i);
		if (m->type == LIMINE_MEMMAP_USABLE)
			out[n++] = (struct memplan_range){m->base, m->length};
	}
	return n;
}

/* Initialises the channel block of every pair of built cores. */
static void init_channels(const struct build_env *env, const uint64_t *handoffs)
{
	for (unsigned a = 0; a < env->ncores; a++)
		for (unsigned b = a + 1; b < env->ncores; b++)
			if (handoffs[a] && handoffs[b])
				chan_block_init(hhdm_ptr(env->chan.base +
				                         chan_block_index(a, b, env->ncores) *
				                                 CHAN_BLOCK_STRIDE));
}

/* Writes the table of every core's boot facts into every handoff. */
static void publish_facts(const struct build_env *env, const uint64_t *handoffs,
                          struct limine_smp_info *const *cpus)
{
	struct smp_core facts[SMP_MAX_CORES] = {0};

	for (unsigned c = 0; c < env->ncores; c++) {
		if (!handoffs[c])
			continue;
		facts[c] = ((struct smp_handoff *)hhdm_ptr(handoffs[c]))->cores[c];
		facts[c].hwid = cpus[c] ? cpus[c]->lapic_id : arch_cpu_hwid();
		facts[c].state = c && smp_held(c) ? SMP_CORE_HELD : SMP_CORE_RELEASED;
	}
	for (unsigned c = 0; c < env->ncores; c++)
		if (handoffs[c])
			memcpy(((struct smp_handoff *)hhdm_ptr(handoffs[c]))->cores, facts,
			       sizeof facts);
}

/* Releases every built AP that is not held: its record in extra_argument,
 * then the atomic write of goto_address the loader's parked AP waits for. */
static void release(const struct build_env *env, const uint64_t *handoffs,
                    struct limine_smp_info *const *cpus)
{
	for (unsigned c = 1; c < env->ncores; c++) {
		if (!handoffs[c] || smp_held(c))
			continue;
		cpus[c]->extra_argument = (uint64_t)(uintptr_t)hhdm_ptr(handoffs[c]);
		__atomic_store_n(&cpus[c]->goto_address, (uint64_t)(uintptr_t)arch_ap_entry,
		                 __ATOMIC_RELEASE);
	}
}

void smp_boot(void (*next)(void *handoff))
{
	static struct limine_smp_info *cpus[SMP_MAX_CORES];
	static struct memplan_share shares[SMP_MAX_CORES];
	static uint64_t handoffs[SMP_MAX_CORES];
	struct memplan_range usable[MEMPLAN_MAX_INPUT];
	struct build_env env = {0};
	unsigned fitted;

	if (prepare(&env, cpu_list(cpus)) != ERR_OK)
		return;
	enum err e =
	        memplan_split(usable, usable_ranges(usable), env.ncores, chan_area_size(env.ncores),
	                      SMP_MIN_SHARE, &env.chan, shares, &fitted);
	for (unsigned c = 0; c < fitted && e == ERR_OK; c++) {
		enum err ce = build_core(&env, c, &shares[c], &handoffs[c]);
		if (ce != ERR_OK && c == 0)
			e = ce;
		else if (ce != ERR_OK)
			log_printf("smp: core %u: no CPU driver: %s\n", c, err_str(ce));
	}
	if (e != ERR_OK) {
		log_printf("smp: cannot build core 0's address space: %s\n", err_str(e));
		return;
	}
	if (fitted < env.ncores)
		log_printf("smp: memory for %u of %u cores\n", fitted, env.ncores);
	init_channels(&env, handoffs);
	publish_facts(&env, handoffs, cpus);
	release(&env, handoffs, cpus);
	struct smp_handoff *h0 = hhdm_ptr(handoffs[0]);
	arch_space_enter(h0->start.root, h0->start.stack_top, next, h0);
}
