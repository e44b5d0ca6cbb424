/* The CPU driver starts its core's monitor from a boot module: a tile
 * (docs/tile.md) placed at SPAWN_TILE_BASE, or a static ELF image.  Everything is done the way a
 * program would do it, by invocations on the core's own capability space (cap_invoke, the same
 * decode and invoke as a system call): objects retyped from one of the
 * core's untyped caps, their original caps in the root CNode's well-known
 * slots (tessera/bootinfo.h) and in an image CNode, frames and page tables
 * mapped by the page-table methods, the dispatcher set up and started.
 * The monitor's root CNode is the core's root CNode: it holds everything
 * the core has.  See spawn.h. */
#include "spawn.h"

#include <elf/elf.h>
#include <fmt/fmt.h>
#include <string/mem.h>
#include <tessera/bootinfo.h>
#include <tessera/framebuffer.h>
#include <tile/tile.h>

#include "boot.h"
#include "cap/cnode.h"
#include "cap/invoke.h"
#include "capboot/capboot.h"
#include "core.h"
#include "fbcon.h"
#include "hhdm.h"
#include "log.h"
#include "mm/vspace.h"
#include "monlink.h"
#include "sched.h"

#define IMAGE_BITS       8 /* slots of the image CNode: 2^8 */
#define PAGE             4096ull
#define STACK_PAGES      16
#define MONITOR_PRIORITY 2
#define MODULE_MAX_BITS  16 /* a module's CNode: at most 2^16 frames (256 MiB) */

/* A program's image: a checked tile or an opened ELF. */
struct image {
	bool tile;
	struct elf_file elf;
	struct tile t;
};

/* One spawn in progress.  Every address is resolved from the spawner's
 * root CNode (root, root_bits); the program's own root CNode is the cap
 * at (prog, root_bits), of prog_bits slot bits, so its slot n is
 * (prog << prog_bits | n) at depth root_bits + prog_bits. */
struct spawn {
	struct cte *root;
	unsigned root_bits, prog_bits;
	uint64_t prog;
	uint64_t ut; /* the untyped's address (depth root_bits) */
	uint64_t ut_size, offset;
	uint32_t next;         /* next free slot of the image CNode */
	uint64_t tables[3][8]; /* bases of the ranges whose PDPT, PD, PT exist */
	unsigned ntables[3];
};

/* An invocation from the spawner's root CNode. */
static enum err kinv(const struct spawn *s, uint64_t method, uint64_t cap, uint64_t depth,
                     const uint64_t *args, unsigned n)
{
	struct cap_invocation_args a = {.cap = cap, .depth = depth, .method = method};
	struct cap_invocation_result r;

	for (unsigned i = 0; i < n; i++)
		a.arg[i] = args[i];
	return cap_invoke(capboot_env(), s->root, &a, &r);
}

/* Slot n of the program's root CNode, and of its image CNode. */
static uint64_t own(const struct spawn *s, uint64_t n)
{
	return s->prog << s->prog_bits | n;
}

static unsigned own_depth(const struct spawn *s)
{
	return s->root_bits + s->prog_bits;
}

static uint64_t image_addr(const struct spawn *s, uint32_t i)
{
	return own(s, SLOT_IMAGE) << IMAGE_BITS | i;
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
	enum err e = kinv(s, CAP_INV_RETYPE, s->ut, s->root_bits, args, 7);
	if (!e)
		s->offset += align;
	return e;
}

/* A new object in one of the program's well-known slots. */
static enum err make_own(struct spawn *s, unsigned type, unsigned obj_bits, unsigned size,
                         uint64_t slot)
{
	return make(s, type, obj_bits, size, s->prog, s->root_bits, slot);
}

/* A new object in the image CNode; its slot to *slot. */
static enum err make_image(struct spawn *s, unsigned type, unsigned obj_bits, unsigned size,
                           uint32_t *slot)
{
	if (s->next == 1u << IMAGE_BITS)
		return ERR_FULL;
	*slot = s->next;
	enum err e = make(s, type, obj_bits, size, own(s, SLOT_IMAGE), own_depth(s), s->next);
	if (!e)
		s->next++;
	return e;
}

/* The physical base of the cap at (addr, depth). */
static uint64_t base_of(const struct spawn *s, uint64_t addr, unsigned depth)
{
	struct cte *slot;
	uint32_t rights;

	if (cap_lookup(capboot_env(), s->root, addr, depth, &slot, &rights))
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
		uint64_t args[3] = {image_addr(s, slot), own_depth(s) + IMAGE_BITS, base};
		if (!e)
			e = kinv(s, CAP_INV_MAP_TABLE, own(s, SLOT_VSPACE), own_depth(s), args, 3);
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

	return e ? e : kinv(s, CAP_INV_MAP_FRAME, own(s, SLOT_VSPACE), own_depth(s), args, 5);
}

/* A new frame in the image CNode, filled from src (n bytes), mapped; its
 * bytes to *bytes if asked. */
static enum err image_page(struct spawn *s, uint64_t va, const uint8_t *src, size_t n,
                           uint32_t rights, uint8_t **bytes)
{
	uint32_t slot;
	enum err e = make_image(s, CAP_FRAME, 12, 12, &slot);

	if (e)
		return e;
	uint8_t *frame = hhdm_ptr(base_of(s, image_addr(s, slot), own_depth(s) + IMAGE_BITS));
	if (n)
		memcpy(frame, src, n);
	if (bytes)
		*bytes = frame;
	return map(s, image_addr(s, slot), own_depth(s) + IMAGE_BITS, va, rights);
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
		if ((ph->p_vaddr & (PAGE - 1)) || !arch_user_address(ph->p_vaddr + ph->p_memsz) ||
		    ph->p_filesz > ph->p_memsz)
			return ERR_RANGE;
		for (uint64_t off = 0; off < ph->p_memsz; off += PAGE) {
			uint64_t n = off < ph->p_filesz ? ph->p_filesz - off : 0;
			enum err e =
			        image_page(s, ph->p_vaddr + off, elf->data + ph->p_offset + off,
			                   n > PAGE ? PAGE : n, rights_of(ph->p_flags), NULL);
			if (e)
				return e;
		}
	}
	return ERR_OK;
}

/* Relocating one page of a tile: the words inside it are written, the
 * others go to a sink. */
struct tile_page {
	uint8_t *bytes;
	uint64_t page;
	uint8_t sink[8];
};

static uint8_t *tile_word(void *ctx, uint64_t off)
{
	struct tile_page *p = ctx;

	return off - p->page < PAGE ? p->bytes + (off - p->page) : p->sink;
}

/* Every segment of a tile page by page at SPAWN_TILE_BASE, each page
 * relocated (the CPU driver links no libraries: a tile with imports is
 * refused). */
static enum err load_tile(struct spawn *s, const struct tile *t)
{
	for (uint32_t i = 0; i < t->nsegments; i++) {
		const struct tile_segment *seg = &t->segments[i];
		uint32_t rights = CAP_RIGHT_READ | (seg->prot & TILE_PROT_W ? CAP_RIGHT_WRITE : 0) |
		                  (seg->prot & TILE_PROT_X ? CAP_RIGHT_EXEC : 0);
		for (uint64_t off = 0; off < seg->memsz; off += PAGE) {
			uint64_t n = off < seg->filesz ? seg->filesz - off : 0;
			struct tile_page p = {.page = seg->addr + off};
			enum err e = image_page(s, SPAWN_TILE_BASE + seg->addr + off,
			                        t->file + seg->file_offset + off,
			                        n > PAGE ? PAGE : n, rights, &p.bytes);
			if (e)
				return e;
			tile_relocate(t, SPAWN_TILE_BASE, NULL, tile_word, &p);
		}
	}
	return ERR_OK;
}

/* The boot module's image, checked; a refusal is logged naming the file
 * and the field. */
static enum err image_open(const struct limine_file *m, const char *name, struct image *img)
{
	const void *data = (const void *)(uintptr_t)m->address;
	char why[160];

	img->tile = tile_is(data, m->size);
	if (!img->tile)
		return elf_open(&img->elf, data, m->size);
	enum err e = tile_check(data, m->size, name, TILE_ARCH_X86_64, &img->t, why, sizeof why);
	if (!e && (img->t.h.kind != TILE_KIND_PROGRAM || img->t.count[TILE_SEC_IMPORTS])) {
		fmt_snprintf(why, sizeof why, "%s: a library, or a program with imports", name);
		e = ERR_UNSUPPORTED;
	}
	if (!e && img->t.h.image_size > SPAWN_TILE_MAX) {
		fmt_snprintf(why, sizeof why, "%s: header.image_size too large", name);
		e = ERR_RANGE;
	}
	if (e)
		log_printf("spawn: %s\n", why);
	return e;
}

/* log2 of the CNode slots for n frames (at least 2 slots). */
static unsigned slot_bits_for(uint64_t n)
{
	unsigned bits = 1;

	while ((1ull << bits) < n)
		bits++;
	return bits;
}

/* What copy_module takes from the untyped for a module of size bytes. */
static uint64_t module_cost(uint64_t size)
{
	uint64_t pages = (size + PAGE - 1) / PAGE;

	return pages * PAGE + (1ull << (slot_bits_for(pages) + CAP_SLOT_BITS));
}

/* Boot module m as `name` into frames: a CNode in the program's root slot
 * `slot` with a frame per 4 KiB, in order, holding its bytes; *out says so.
 * RANGE a module too big for one CNode. */
static enum err copy_module(struct spawn *s, const struct limine_file *m, const char *name,
                            uint32_t slot, struct bootinfo_module *out)
{
	uint64_t pages = (m->size + PAGE - 1) / PAGE;
	unsigned bits = slot_bits_for(pages);
	const uint8_t *src = (const uint8_t *)(uintptr_t)m->address;

	if (bits > MODULE_MAX_BITS)
		return ERR_RANGE;
	enum err e = make(s, CAP_CNODE, bits, bits + CAP_SLOT_BITS, s->prog, s->root_bits, slot);
	for (uint64_t i = 0; !e && i < pages; i++) {
		uint64_t n = m->size - i * PAGE < PAGE ? m->size - i * PAGE : PAGE;
		e = make(s, CAP_FRAME, 12, 12, own(s, slot), own_depth(s), i);
		if (!e)
			memcpy(hhdm_ptr(base_of(s, own(s, slot) << bits | i, own_depth(s) + bits)),
			       src + i * PAGE, n);
	}
	if (e)
		return e;
	*out = (struct bootinfo_module){.size = m->size,
	                                .cnode = slot,
	                                .frames = (uint16_t)pages,
	                                .cnode_bits = (uint16_t)bits};
	mem_strlcpy(out->name, name, sizeof out->name);
	return ERR_OK;
}

/* The objects every program has, after its root CNode: the image CNode,
 * the top table, the dispatcher frame and the dispatcher; the image, a
 * stack, the frame mapped; the dispatcher set up (not started). */
static enum err build_common(struct spawn *s, const struct image *img, unsigned priority,
                             struct disp_frame **frame)
{
	uint64_t disp_args[8] = {
	        own(s, SLOT_ROOT),       own_depth(s), own(s, SLOT_VSPACE), own_depth(s),
	        own(s, SLOT_DISP_FRAME), own_depth(s), DISP_FRAME_VA,       priority};
	enum err e = make_own(s, CAP_CNODE, IMAGE_BITS, IMAGE_BITS + CAP_SLOT_BITS, SLOT_IMAGE);

	if (!e)
		e = make_own(s, vspace_root_type(), 12, 12, SLOT_VSPACE);
	if (!e)
		e = make_own(s, CAP_FRAME, 12, 12, SLOT_DISP_FRAME);
	if (!e)
		e = make_own(s, CAP_DISPATCHER, 0, CAP_DISPATCHER_BITS, SLOT_DISPATCHER);
	if (!e)
		e = img->tile ? load_tile(s, &img->t) : load_segments(s, &img->elf);
	for (uint64_t va = STACK_TOP_VA - STACK_PAGES * PAGE; !e && va < STACK_TOP_VA; va += PAGE)
		e = image_page(s, va, NULL, 0, CAP_RIGHT_READ | CAP_RIGHT_WRITE, NULL);
	if (!e)
		e = map(s, own(s, SLOT_DISP_FRAME), own_depth(s), DISP_FRAME_VA,
		        CAP_RIGHT_READ | CAP_RIGHT_WRITE);
	if (!e)
		e = kinv(s, CAP_INV_DISP_SETUP, own(s, SLOT_DISPATCHER), own_depth(s), disp_args,
		         8);
	if (e)
		return e;
	*frame = hhdm_ptr(base_of(s, own(s, SLOT_DISP_FRAME), own_depth(s)));
	(*frame)->self = DISP_FRAME_VA;
	(*frame)->run_entry = img->tile ? SPAWN_TILE_BASE + img->t.h.entry : img->elf.ehdr->e_entry;
	(*frame)->upcall_stack = STACK_TOP_VA;
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
		s->ut_size = 1ull << c->cap.size_bits;
		return true;
	}
	return false;
}

/* The path's last part. */
static const char *module_name(const struct limine_file *m)
{
	const char *path = boot_str(m->path), *base = path;

	for (const char *p = path; *p; p++)
		if (*p == '/')
			base = p + 1;
	return base;
}

/* The boot module named name (its path's last part). */
static const struct limine_file *module(const char *name)
{
	for (size_t i = 0; i < boot_module_count(); i++)
		if (strcmp(module_name(boot_module(i)), name) == 0)
			return boot_module(i);
	return NULL;
}

/* The modules core 0's monitor gets: every one but the monitor itself. */
static bool for_monitor(const struct limine_file *m)
{
	return core_self() == 0 && strcmp(module_name(m), SPAWN_MONITOR_MODULE) != 0;
}

/* The first root slot past every range capboot filled, and past all the
 * untyped range may still grow to (received caps are appended to it). */
static uint32_t first_unused_slot(void)
{
	const struct capboot_info *info = capboot_info();
	const struct capboot_range *r[] = {&info->untyped, &info->others, &info->device_frames,
	                                   &info->ioports, &info->irqs,   &info->device_untyped};
	uint32_t end = info->untyped.first + MEMPLAN_MAX_BLOCKS;

	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
		if (r[i]->count && r[i]->first + r[i]->count > end)
			end = r[i]->first + r[i]->count;
	return end;
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
	                        .free_first = first_unused_slot()};
	/* the device caps: one run of slots, frames to IRQs (capboot.h) */
	if (info->device_frames.count || info->irqs.count) {
		bi->device_first = info->device_frames.first;
		bi->device_count = info->irqs.first + info->irqs.count - info->device_frames.first;
	}
}

/* Core 0: every boot module but the monitor into frames, a CNode each in
 * the root slots from bi->free_first on (moved past them); listed in bi. */
static enum err monitor_modules(struct spawn *s, struct bootinfo *bi)
{
	for (size_t i = 0; i < boot_module_count(); i++) {
		const struct limine_file *m = boot_module(i);
		if (!for_monitor(m))
			continue;
		if (bi->nmodules == BOOTINFO_MODULES) {
			log_printf("spawn: module %s left out: the monitor takes %u\n",
			           module_name(m), BOOTINFO_MODULES);
			continue;
		}
		enum err e = copy_module(s, m, module_name(m), bi->free_first,
		                         &bi->modules[bi->nmodules]);
		if (e)
			return e;
		bi->nmodules++;
		bi->free_first++;
	}
	return ERR_OK;
}

/* The boot core's device frames that cover the framebuffer (capboot made
 * them in address order): the first root slot and how many. */
static uint32_t fb_frames(const struct limine_framebuffer *fb, uint32_t *first)
{
	const struct capboot_range *r = &capboot_info()->device_frames;
	uint64_t lo = hhdm_phys((const void *)(uintptr_t)fb->address) & ~(PAGE - 1),
	         hi = lo + fb->pitch * fb->height;
	uint32_t n = 0;

	for (uint32_t i = 0; i < r->count; i++) {
		const struct cte *c = capboot_slot(r->first + i);
		if (!c || c->cap.type != CAP_DEVICE_FRAME ||
		    c->cap.base + (1ull << c->cap.size_bits) <= lo || c->cap.base >= hi)
			continue;
		if (n == 0)
			*first = r->first + i;
		n++;
	}
	return n;
}

/* Core 0: the framebuffer as the module "framebuffer" (tessera/framebuffer.h)
 * in root slot bi->free_first (moved past it), listed in bi, and the boot
 * console off it (a program draws there now); nothing without a
 * framebuffer or its device frames. */
static enum err framebuffer_module(struct spawn *s, struct bootinfo *bi)
{
	const struct limine_framebuffer *fb = boot_framebuffer();
	uint32_t first = 0, n, slot = bi->free_first;

	if (core_self() != 0 || !fb || !fb->address || bi->nmodules == BOOTINFO_MODULES)
		return ERR_OK;
	n = fb_frames(fb, &first);
	unsigned bits = slot_bits_for(1 + (uint64_t)n);
	if (n == 0 || bits > MODULE_MAX_BITS)
		return ERR_OK;
	enum err e = make(s, CAP_CNODE, bits, bits + CAP_SLOT_BITS, s->prog, s->root_bits, slot);
	if (!e)
		e = make(s, CAP_FRAME, 12, 12, own(s, slot), own_depth(s), 0);
	for (uint32_t i = 0; !e && i < n; i++) {
		uint64_t copy[4] = {own(s, slot) << bits | (i + 1), own_depth(s) + bits, first + i,
		                    s->root_bits};
		e = kinv(s, CAP_INV_COPY, SLOT_ROOT, s->root_bits, copy, 4);
	}
	if (e)
		return e;
	struct fb_info *info = hhdm_ptr(base_of(s, own(s, slot) << bits, own_depth(s) + bits));
	uint64_t phys = hhdm_phys((const void *)(uintptr_t)fb->address);
	*info = (struct fb_info){.magic = FB_INFO_MAGIC,
	                         .phys = phys,
	                         .offset = phys - capboot_slot(first)->cap.base,
	                         .width = (uint32_t)fb->width,
	                         .height = (uint32_t)fb->height,
	                         .pitch = (uint32_t)fb->pitch,
	                         .frames = n,
	                         .bpp = fb->bpp,
	                         .memory_model = fb->memory_model,
	                         .red_size = fb->red_mask_size,
	                         .red_shift = fb->red_mask_shift,
	                         .green_size = fb->green_mask_size,
	                         .green_shift = fb->green_mask_shift,
	                         .blue_size = fb->blue_mask_size,
	                         .blue_shift = fb->blue_mask_shift};
	bi->modules[bi->nmodules++] = (struct bootinfo_module){.name = FB_MODULE_NAME,
	                                                       .size = sizeof *info,
	                                                       .cnode = slot,
	                                                       .frames = 1,
	                                                       .cnode_bits = (uint16_t)bits};
	bi->free_first++;
	log_printf("spawn: the framebuffer goes to user space (module %s); the console goes on "
	           "on serial only\n",
	           FB_MODULE_NAME);
	fbcon_boot_stop();
	return ERR_OK;
}

/* The monitor: the core's root CNode is its own (through the root's copy
 * of itself); its boot information mapped too, the modules (core 0) and its
 * budget in SLOT_UNTYPED; started. */
static enum err build_monitor(struct spawn *s, const struct image *img)
{
	struct disp_frame *f;
	struct bootinfo *bi;
	enum err e = build_common(s, img, MONITOR_PRIORITY, &f);

	if (!e)
		e = make_own(s, CAP_FRAME, 12, 12, SLOT_BOOTINFO);
	if (!e)
		e = make_own(s, CAP_NOTIFY, 0, CAP_NOTIFY_BITS, SLOT_MON_NOTIFY);
	if (!e) {
		struct cap mon = {.type = CAP_MONITOR, .rights = cap_type_rights(CAP_MONITOR)};
		e = cap_create_root(capboot_env(), capboot_slot(SLOT_MONITOR), &mon);
	}
	if (!e)
		monlink_set_notify(base_of(s, own(s, SLOT_MON_NOTIFY), own_depth(s)));
	if (!e)
		e = map(s, own(s, SLOT_BOOTINFO), own_depth(s), BOOTINFO_VA, CAP_RIGHT_READ);
	if (e)
		return e;
	bi = hhdm_ptr(base_of(s, own(s, SLOT_BOOTINFO), own_depth(s)));
	fill_bootinfo(bi);
	e = monitor_modules(s, bi);
	if (!e)
		e = framebuffer_module(s, bi);
	if (!e)
		e = make_own(s, CAP_UNTYPED, SPAWN_MONITOR_BUDGET_BITS, SPAWN_MONITOR_BUDGET_BITS,
		             SLOT_UNTYPED);
	if (e)
		return e;
	bi->spawn_untyped = (uint32_t)s->ut;
	bi->spawn_used = s->offset;
	return kinv(s, CAP_INV_DISP_START, own(s, SLOT_DISPATCHER), own_depth(s), NULL, 0);
}

/* What the monitor's untyped must hold: its objects, its modules and its
 * budget (aligned to its size). */
static uint64_t monitor_need(void)
{
	uint64_t need = SPAWN_UNTYPED_MIN + (2ull << SPAWN_MONITOR_BUDGET_BITS);

	for (size_t i = 0; i < boot_module_count(); i++)
		if (for_monitor(boot_module(i)))
			need += module_cost(boot_module(i)->size);
	const struct limine_framebuffer *fb = boot_framebuffer();
	uint32_t first, n = core_self() == 0 && fb && fb->address ? fb_frames(fb, &first) : 0;
	if (n) /* the framebuffer module: its CNode and a frame */
		need += PAGE + (1ull << (slot_bits_for(1 + (uint64_t)n) + CAP_SLOT_BITS));
	return need;
}

enum err spawn_monitor(void)
{
	const struct limine_file *m = module(SPAWN_MONITOR_MODULE);
	struct image img;
	struct spawn s = {.root = capboot_root(),
	                  .root_bits = CAPBOOT_CNODE_BITS,
	                  .prog = SLOT_ROOT,
	                  .prog_bits = CAPBOOT_CNODE_BITS};

	if (!m)
		return ERR_NOENT;
	if (!capboot_root())
		return ERR_UNSUPPORTED;
	enum err e = image_open(m, SPAWN_MONITOR_MODULE, &img);
	if (e)
		return e;
	if (!pick_untyped(&s, monitor_need()))
		return ERR_NOMEM;
	e = build_monitor(&s, &img);
	if (e)
		log_printf("spawn: the monitor is incomplete (%s); its objects stay in the root "
		           "CNode's well-known slots\n",
		           err_str(e));
	return e;
}

/* The sandbox's modules ("name" or "as=name") into its root slots from
 * SLOT_FIRST_FREE on, and its arguments frame (SLOT_ARGS, at ARGS_VA). */
static enum err sandbox_args(struct spawn *s, const struct spawn_sandbox *p)
{
	struct prog_args a = {.magic = PROG_ARGS_MAGIC, .free_first = SLOT_FIRST_FREE};
	enum err e = ERR_OK;

	mem_strlcpy(a.name, p->module, sizeof a.name);
	for (size_t i = 0; !e && p->modules && p->modules[i]; i++) {
		const char *spec = p->modules[i], *eq = strchr(spec, '='),
		           *name = eq ? eq + 1 : spec;
		const struct limine_file *m = module(name);
		char as[BOOTINFO_NAME];
		if (!m || a.nmodules == BOOTINFO_MODULES)
			return m ? ERR_FULL : ERR_NOENT;
		mem_strlcpy(as, spec,
		            eq && (size_t)(eq - spec) < sizeof as ? (size_t)(eq - spec) + 1
		                                                  : sizeof as);
		e = copy_module(s, m, as, a.free_first, &a.modules[a.nmodules]);
		a.nmodules++;
		a.free_first++;
	}
	if (!e)
		e = make_own(s, CAP_FRAME, 12, 12, SLOT_ARGS);
	if (!e)
		e = map(s, own(s, SLOT_ARGS), own_depth(s), ARGS_VA, CAP_RIGHT_READ);
	if (!e)
		memcpy(hhdm_ptr(base_of(s, own(s, SLOT_ARGS), own_depth(s))), &a, sizeof a);
	return e;
}

/* The sandbox's root CNode in the spawner's slot, with a copy of itself in
 * its first slot, and a copy of the log if asked for. */
static enum err sandbox_root(struct spawn *s, const struct spawn_sandbox *p)
{
	uint64_t copy_self[4] = {own(s, SLOT_ROOT), own_depth(s), s->prog, s->root_bits};
	enum err e = make(s, CAP_CNODE, SPAWN_SANDBOX_BITS, SPAWN_SANDBOX_BITS + CAP_SLOT_BITS,
	                  SLOT_ROOT, s->root_bits, p->cspace_slot);

	if (!e)
		e = kinv(s, CAP_INV_COPY, SLOT_ROOT, s->root_bits, copy_self, 4);
	if (!e && p->log_slot) {
		uint64_t copy_log[4] = {own(s, SLOT_LOG), own_depth(s), p->log_slot, s->root_bits};
		e = kinv(s, CAP_INV_COPY, SLOT_ROOT, s->root_bits, copy_log, 4);
	}
	for (unsigned i = 0; !e && i < p->ngrants; i++) {
		const struct spawn_grant *g = &p->grants[i];
		struct cte *src;
		uint32_t have;
		e = cap_lookup(capboot_env(), p->root, g->src, s->root_bits, &src, &have);
		uint64_t mint[8] = {own(s, g->dst),
		                    own_depth(s),
		                    g->src,
		                    s->root_bits,
		                    g->rights ? g->rights : (e ? 0 : src->cap.rights),
		                    g->badge};
		if (!e)
			e = kinv(s, CAP_INV_MINT, SLOT_ROOT, s->root_bits, mint, 8);
	}
	return e;
}

enum err spawn_sandbox(const struct spawn_sandbox *p, struct disp_frame **frame)
{
	const struct limine_file *m = module(p->module);
	struct image img;
	struct cte *ut;
	uint32_t rights;
	struct spawn s = {.root = p->root,
	                  .root_bits = p->root_bits,
	                  .prog = p->cspace_slot,
	                  .prog_bits = SPAWN_SANDBOX_BITS,
	                  .ut = p->untyped_slot};

	if (!m)
		return ERR_NOENT;
	enum err e = image_open(m, p->module, &img);
	if (!e)
		e = cap_lookup(capboot_env(), p->root, p->untyped_slot, p->root_bits, &ut, &rights);
	if (e)
		return e;
	if (ut->cap.type != CAP_UNTYPED || ut->cap.size_bits >= 63)
		return ERR_TYPE;
	s.ut_size = 1ull << ut->cap.size_bits;
	s.offset = *p->offset;
	e = sandbox_root(&s, p);
	if (!e)
		e = build_common(&s, &img, p->priority, frame);
	if (!e && p->modules)
		e = sandbox_args(&s, p);
	if (!e && p->budget_bits)
		e = make_own(&s, CAP_UNTYPED, p->budget_bits, p->budget_bits, SLOT_UNTYPED);
	if (!e)
		e = kinv(&s, CAP_INV_DISP_START, own(&s, SLOT_DISPATCHER), own_depth(&s), NULL, 0);
	*p->offset = s.offset;
	return e;
}
