/* The CPU driver starts its core's monitor from a boot module: a static
 * ELF image.  Everything is done the way a program would do it, by
 * invocations on the core's own capability space (cap_invoke, the same
 * decode and invoke as a system call): objects retyped from one of the
 * core's untyped caps, their original caps in the root CNode's well-known
 * slots (tessera/bootinfo.h) and in an image CNode, frames and page tables
 * mapped by the page-table methods, the dispatcher set up and started.
 * The monitor's root CNode is the core's root CNode: it holds everything
 * the core has.  See spawn.h. */
#include "spawn.h"

#include <elf/elf.h>
#include <string/mem.h>
#include <tessera/bootinfo.h>

#include "boot.h"
#include "cap/cnode.h"
#include "cap/invoke.h"
#include "capboot/capboot.h"
#include "core.h"
#include "hhdm.h"
#include "log.h"
#include "mm/vspace.h"
#include "sched.h"

#define IMAGE_BITS       8 /* slots of the image CNode: 2^8 */
#define PAGE             4096ull
#define STACK_PAGES      16
#define MONITOR_PRIORITY 2

/* One spawn in progress: the untyped it carves from, and where the next
 * image object goes. */
struct spawn {
	uint64_t ut; /* root slot of the untyped */
	uint64_t ut_base, ut_size, offset;
	uint32_t next;         /* next free slot of the image CNode */
	uint64_t tables[3][8]; /* va ranges whose PDPT, PD, PT exist (covered base) */
	unsigned ntables[3];
	enum err e;
};

static const unsigned root_bits = CAPBOOT_CNODE_BITS;

/* An invocation on the core's root CNode. */
static enum err kinv(uint64_t method, uint64_t cap, uint64_t depth, const uint64_t *args,
                     unsigned n)
{
	struct cap_invocation_args a = {.cap = cap, .depth = depth, .method = method};
	struct cap_invocation_result r;

	for (unsigned i = 0; i < n; i++)
		a.arg[i] = args[i];
	return cap_invoke(capboot_env(), capboot_root(), &a, &r);
}

static uint64_t image_addr(uint32_t i)
{
	return (uint64_t)SLOT_IMAGE << IMAGE_BITS | i;
}

/* Retypes one object of type/obj_bits (object size 2^size) into slot
 * `index` of the CNode at (cnode, depth). */
static enum err make(struct spawn *s, unsigned type, unsigned obj_bits, unsigned size,
                     uint64_t cnode, uint64_t depth, uint64_t index)
{
	uint64_t align = 1ull << size;

	s->offset = (s->offset + align - 1) & ~(align - 1);
	if (s->offset + align > s->ut_size)
		return ERR_NOMEM;
	uint64_t args[7] = {type, obj_bits, s->offset, 1, cnode, depth, index};
	enum err e = kinv(CAP_INV_RETYPE, s->ut, root_bits, args, 7);
	if (!e)
		s->offset += align;
	return e;
}

/* A new object in the image CNode; its slot to *slot. */
static enum err make_image(struct spawn *s, unsigned type, unsigned obj_bits, unsigned size,
                           uint32_t *slot)
{
	if (s->next == 1u << IMAGE_BITS)
		return ERR_FULL;
	*slot = s->next;
	enum err e = make(s, type, obj_bits, size, SLOT_IMAGE, root_bits, s->next);
	if (!e)
		s->next++;
	return e;
}

/* The physical base of the cap in image slot i. */
static uint64_t image_base(uint32_t i)
{
	struct cte *slot;
	uint32_t rights;

	if (cap_lookup(capboot_env(), capboot_root(), image_addr(i), root_bits + IMAGE_BITS, &slot,
	               &rights))
		return 0;
	return slot->cap.base;
}

/* The page tables va needs below the top table: PDPT (512 GiB), PD (1 GiB),
 * PT (2 MiB), each made and linked once. */
static enum err tables_for(struct spawn *s, uint64_t va)
{
	static const unsigned types[3] = {CAP_PDPT, CAP_PD, CAP_PT};
	static const unsigned covers[3] = {39, 30, 21};

	for (unsigned l = 0; l < 3; l++) {
		uint64_t base = va & ~((1ull << covers[l]) - 1);
		bool have = false;
		for (unsigned i = 0; i < s->ntables[l]; i++)
			have |= s->tables[l][i] == base;
		if (have)
			continue;
		if (s->ntables[l] == 8)
			return ERR_FULL;
		uint32_t slot;
		enum err e = make_image(s, types[l], 12, 12, &slot);
		uint64_t args[3] = {image_addr(slot), root_bits + IMAGE_BITS, base};
		if (!e)
			e = kinv(CAP_INV_MAP_TABLE, SLOT_VSPACE, root_bits, args, 3);
		if (e)
			return e;
		s->tables[l][s->ntables[l]++] = base;
	}
	return ERR_OK;
}

/* Maps the cap at (addr, depth) at va with rights. */
static enum err map(struct spawn *s, uint64_t addr, uint64_t depth, uint64_t va, uint32_t rights)
{
	uint64_t args[5] = {addr, depth, va, rights, 0};
	enum err e = tables_for(s, va);

	return e ? e : kinv(CAP_INV_MAP_FRAME, SLOT_VSPACE, root_bits, args, 5);
}

/* A new frame in the image CNode, filled from src (n bytes), mapped. */
static enum err image_page(struct spawn *s, uint64_t va, const uint8_t *src, size_t n,
                           uint32_t rights)
{
	uint32_t slot;
	enum err e = make_image(s, CAP_FRAME, 12, 12, &slot);

	if (e)
		return e;
	if (n)
		memcpy(hhdm_ptr(image_base(slot)), src, n);
	return map(s, image_addr(slot), root_bits + IMAGE_BITS, va, rights);
}

static uint32_t rights_of(uint32_t flags)
{
	return CAP_RIGHT_READ | (flags & ELF_PF_W ? CAP_RIGHT_WRITE : 0) |
	       (flags & ELF_PF_X ? CAP_RIGHT_EXEC : 0);
}

/* Every PT_LOAD segment, page by page. */
static enum err load_segments(struct spawn *s, const struct elf_file *elf)
{
	for (size_t i = 0; i < elf->ehdr->e_phnum; i++) {
		const struct elf64_phdr *ph = elf_phdr(elf, i);
		if (ph->p_type != ELF_PT_LOAD)
			continue;
		if ((ph->p_vaddr & (PAGE - 1)) || !arch_user_address(ph->p_vaddr + ph->p_memsz))
			return ERR_RANGE;
		for (uint64_t off = 0; off < ph->p_memsz; off += PAGE) {
			uint64_t n = off < ph->p_filesz ? ph->p_filesz - off : 0;
			enum err e =
			        image_page(s, ph->p_vaddr + off, elf->data + ph->p_offset + off,
			                   n > PAGE ? PAGE : n, rights_of(ph->p_flags));
			if (e)
				return e;
		}
	}
	return ERR_OK;
}

/* The root slot of an untyped cap of this core with at least bytes. */
static bool pick_untyped(struct spawn *s, uint64_t bytes)
{
	const struct capboot_info *bi = capboot_info();

	for (uint32_t i = 0; i < bi->untyped.count; i++) {
		const struct cte *c = capboot_slot(bi->untyped.first + i);
		if (!cap_slot_live(c) || c->cap.type != CAP_UNTYPED || c->cap.size_bits >= 63 ||
		    (1ull << c->cap.size_bits) < bytes || cap_untyped_used(c))
			continue;
		s->ut = bi->untyped.first + i;
		s->ut_base = c->cap.base;
		s->ut_size = 1ull << c->cap.size_bits;
		return true;
	}
	return false;
}

static void fill_bootinfo(struct bootinfo *bi)
{
	const struct capboot_info *info = capboot_info();

	*bi = (struct bootinfo){.magic = BOOTINFO_MAGIC,
	                        .core = core_self(),
	                        .ncores = core_count(),
	                        .online = core_online(),
	                        .untyped_first = info->untyped.first,
	                        .untyped_count = info->untyped.count,
	                        .untyped_bytes = info->untyped_bytes,
	                        .free_first = info->untyped.first + info->untyped.count};
}

/* The objects of the monitor, in order; the first error stops. */
static enum err build(struct spawn *s, const struct elf_file *elf)
{
	uint64_t disp_args[8] = {SLOT_ROOT,       root_bits, SLOT_VSPACE,   root_bits,
	                         SLOT_DISP_FRAME, root_bits, DISP_FRAME_VA, MONITOR_PRIORITY};
	struct cte *frame;
	uint32_t rights;
	enum err e = make(s, CAP_CNODE, IMAGE_BITS, IMAGE_BITS + CAP_SLOT_BITS, SLOT_ROOT,
	                  root_bits, SLOT_IMAGE);

	if (!e)
		e = make(s, vspace_root_type(), 12, 12, SLOT_ROOT, root_bits, SLOT_VSPACE);
	if (!e)
		e = make(s, CAP_FRAME, 12, 12, SLOT_ROOT, root_bits, SLOT_DISP_FRAME);
	if (!e)
		e = make(s, CAP_FRAME, 12, 12, SLOT_ROOT, root_bits, SLOT_BOOTINFO);
	if (!e)
		e = make(s, CAP_DISPATCHER, 0, CAP_DISPATCHER_BITS, SLOT_ROOT, root_bits,
		         SLOT_DISPATCHER);
	if (!e)
		e = load_segments(s, elf);
	for (uint64_t va = STACK_TOP_VA - STACK_PAGES * PAGE; !e && va < STACK_TOP_VA; va += PAGE)
		e = image_page(s, va, NULL, 0, CAP_RIGHT_READ | CAP_RIGHT_WRITE);
	if (!e)
		e = map(s, SLOT_DISP_FRAME, root_bits, DISP_FRAME_VA,
		        CAP_RIGHT_READ | CAP_RIGHT_WRITE);
	if (!e)
		e = map(s, SLOT_BOOTINFO, root_bits, BOOTINFO_VA, CAP_RIGHT_READ);
	if (!e)
		e = kinv(CAP_INV_DISP_SETUP, SLOT_DISPATCHER, root_bits, disp_args, 8);
	if (e)
		return e;
	cap_lookup(capboot_env(), capboot_root(), SLOT_BOOTINFO, root_bits, &frame, &rights);
	fill_bootinfo(hhdm_ptr(frame->cap.base));
	cap_lookup(capboot_env(), capboot_root(), SLOT_DISP_FRAME, root_bits, &frame, &rights);
	struct disp_frame *f = hhdm_ptr(frame->cap.base);
	f->self = DISP_FRAME_VA;
	f->run_entry = elf->ehdr->e_entry;
	f->upcall_stack = STACK_TOP_VA;
	return kinv(CAP_INV_DISP_START, SLOT_DISPATCHER, root_bits, NULL, 0);
}

/* The boot module whose path ends in /name. */
static const struct limine_file *module(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < boot_module_count(); i++) {
		const struct limine_file *m = boot_module(i);
		const char *path = boot_str(m->path);
		size_t len = strlen(path);
		if (len > n && path[len - n - 1] == '/' && strcmp(path + len - n, name) == 0)
			return m;
	}
	return NULL;
}

enum err spawn_monitor(void)
{
	const struct limine_file *m = module(SPAWN_MONITOR_MODULE);
	struct elf_file elf;
	struct spawn s = {0};

	if (!m)
		return ERR_NOENT;
	if (!capboot_root())
		return ERR_UNSUPPORTED;
	enum err e = elf_open(&elf, (const void *)(uintptr_t)m->address, m->size);
	if (e)
		return e;
	if (!pick_untyped(&s, SPAWN_UNTYPED_MIN))
		return ERR_NOMEM;
	e = build(&s, &elf);
	if (e)
		log_printf("spawn: the monitor is incomplete (%s); its objects stay in the root "
		           "CNode's well-known slots\n",
		           err_str(e));
	return e;
}
