/* The boot sequence common to every firmware: configuration, kernel,
 * modules, framebuffer, responses, page tables, leaving the firmware, and
 * the jump (PROTOCOL.md "Machine state at entry"). */
#include "boot.h"

#include <string/mem.h>

#include "log.h"
#include "state.h"

struct boot_state boot;

#define ARENA_PAGES 16

/* Small allocations are carved from chunks of reclaimable pages. */
static struct {
	uint8_t *next, *end;
} arena;

void *boot_alloc_pages(uint64_t pages, enum boot_mem kind)
{
	uint64_t phys;

	enum err e = fw_alloc_pages(pages, kind, BOOT_PAGE, FW_ANYWHERE, &phys);
	if (e)
		boot_fatal("out of memory allocating %llu KiB: %s", (unsigned long long)(pages * 4),
		           err_str(e));
	return boot_ptr(phys);
}

void *boot_alloc(size_t size)
{
	size = (size + 15) & ~(size_t)15;
	if (size > ARENA_PAGES * BOOT_PAGE / 4) {
		uint64_t pages = (size + BOOT_PAGE - 1) / BOOT_PAGE;
		void *p = boot_alloc_pages(pages, BOOT_MEM_RECLAIMABLE);
		memset(p, 0, pages * BOOT_PAGE);
		return p;
	}
	if ((size_t)(arena.end - arena.next) < size) {
		arena.next = boot_alloc_pages(ARENA_PAGES, BOOT_MEM_RECLAIMABLE);
		arena.end = arena.next + ARENA_PAGES * BOOT_PAGE;
	}
	void *p = arena.next;
	arena.next += size;
	memset(p, 0, size);
	return p;
}

char *boot_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = boot_alloc(n);
	memcpy(d, s, n);
	return d;
}

static void conf_note(void *ctx, unsigned line, const char *msg)
{
	boot_log("%s:%u: note: %s", (const char *)ctx, line, msg);
}

/* Finds, parses and checks limine.conf (CONFIG.md "Location of the config
 * file" lists where, in this order), and picks the entry to boot. */
static void config_load(void)
{
	static const char *const where[] = {"/limine.conf", "/limine/limine.conf",
	                                    "/boot/limine.conf", "/boot/limine/limine.conf",
	                                    "/EFI/BOOT/limine.conf"};
	char *text = NULL;
	size_t len = 0;
	enum err e = ERR_NOENT;

	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]) && e == ERR_NOENT; i++)
		if ((e = file_read_small(where[i], &text, &len)) == ERR_OK)
			boot.conf_path = where[i];
	if (e == ERR_NOENT)
		boot_fatal("no limine.conf (looked for /limine.conf, /limine/limine.conf, "
		           "/boot/limine.conf, /boot/limine/limine.conf, /EFI/BOOT/limine.conf)");
	if (e)
		boot_fatal("cannot read limine.conf: %s", err_str(e));
	struct conf_diag d = {.note = conf_note, .note_ctx = (void *)boot.conf_path};
	if (conf_parse(text, len, &boot.conf, &d))
		boot_fatal("%s:%u: %s", boot.conf_path, d.line, d.msg);
	if (conf_pick(&boot.conf, &boot.entry, &d))
		boot_fatal("%s: %s", boot.conf_path, d.msg);
	const struct conf_entry *en = boot.entry;
	if (!en->protocol)
		boot_fatal("%s:%u: entry '%s' has no protocol", boot.conf_path, en->line,
		           en->title);
	if (mem_strcasecmp(en->protocol, "limine") != 0)
		boot_fatal("%s:%u: entry '%s': protocol '%s' is not supported (only limine)",
		           boot.conf_path, en->line, en->title, en->protocol);
	if (!en->kernel_path || !*en->kernel_path)
		boot_fatal("%s:%u: entry '%s' has no kernel_path", boot.conf_path, en->line,
		           en->title);
	boot_log("config %s: booting entry '%s'", boot.conf_path, en->title);
}

/* Loads one module; missing ones are fatal when required.  line is the
 * module_path line, 0 for a kernel's internal module. */
static void module_load(const char *spec, const char *cmdline, int required, unsigned line)
{
	if (boot.module_count == BOOT_MAX_MODULES)
		boot_fatal("more than %d modules", BOOT_MAX_MODULES);
	struct boot_file *m = &boot.modules[boot.module_count];
	enum err e = file_load(spec, BOOT_MEM_KERNEL, cmdline, m);
	if (e == ERR_NOENT && !required) {
		boot_log("module %s: not found; skipped (not required)", spec);
		return;
	}
	if (e == ERR_NOENT && line == 0)
		boot_fatal("module %s: file not found (a required internal module of the kernel)",
		           spec);
	if (e == ERR_NOENT)
		boot_fatal("module %s: file not found (module_path on %s line %u)", spec,
		           boot.conf_path, line);
	if (e)
		boot_fatal("module %s: cannot read: %s", spec, err_str(e));
	boot.module_count++;
	boot_log("module %s %llu bytes", m->path, (unsigned long long)m->size);
}

/* The loader pointer to len bytes at kernel virtual address va inside the
 * loaded image, or NULL. */
static const void *kernel_at(uint64_t va, uint64_t len)
{
	va -= boot.slide; /* to a link address */
	if (va < boot.elf.vbase || va > boot.elf.vend || len > boot.elf.vend - va)
		return NULL;
	return boot_ptr(boot.kernel_phys + (va - boot.elf.vbase));
}

/* A NUL-terminated string at kernel virtual address va inside the image. */
static const char *kernel_string(uint64_t va)
{
	const char *s = kernel_at(va, 1);
	uint64_t room = s ? boot.elf.vend + boot.slide - va : 0;

	return s && strnlen(s, room) < room ? s : NULL;
}

/* Loads the i-th internal module of the kernel's module request: its path
 * is relative to the kernel's directory unless it starts with '/'. */
static void internal_module(const struct limine_module_request *req, uint64_t i)
{
	const void *slot = kernel_at(req->internal_modules + i * 8, 8);
	struct limine_internal_module im;
	uint64_t va;

	if (!slot)
		boot_fatal("kernel: internal_modules[%llu] is outside the image",
		           (unsigned long long)i);
	memcpy(&va, slot, sizeof(va));
	const void *p = kernel_at(va, sizeof(im));
	if (!p)
		boot_fatal("kernel: internal module %llu is outside the image",
		           (unsigned long long)i);
	memcpy(&im, p, sizeof(im));
	const char *path = kernel_string(im.path);
	const char *cmdline = im.cmdline ? kernel_string(im.cmdline) : "";
	if (!path || !cmdline)
		boot_fatal("kernel: internal module %llu has a bad path or cmdline",
		           (unsigned long long)i);
	const char *kpath = boot.kernel_file.path;
	size_t dir = path[0] == '/' ? 0 : (size_t)(strrchr(kpath, '/') - kpath) + 1;
	char *full = boot_alloc(dir + strlen(path) + 1);
	memcpy(full, kpath, dir);
	memcpy(full + dir, path, strlen(path) + 1);
	module_load(full, cmdline, !!(im.flags & LIMINE_INTERNAL_MODULE_REQUIRED), 0);
}

/* Internal modules (module request revision 1) come before the
 * configuration's (PROTOCOL.md "Module Feature"). */
static void internal_modules(void)
{
	const struct limine_module_request *req = boot.req.req[REQ_MODULE];

	if (!req || req->revision < 1 || boot.req.room[REQ_MODULE] < sizeof(*req))
		return;
	if (req->internal_module_count > BOOT_MAX_MODULES)
		boot_fatal("kernel: %llu internal modules (at most %d)",
		           (unsigned long long)req->internal_module_count, BOOT_MAX_MODULES);
	for (uint64_t i = 0; i < req->internal_module_count; i++)
		internal_module(req, i);
}

static void modules_load(void)
{
	internal_modules();
	for (size_t i = 0; i < boot.entry->module_count; i++) {
		const struct conf_module *m = &boot.entry->modules[i];
		module_load(m->path, m->cmdline, 1, m->line);
	}
}

/* Sets the video mode when the kernel asks for a framebuffer. */
static void video_setup(void)
{
	const struct conf_entry *en = boot.entry;

	if (!boot.req.req[REQ_FRAMEBUFFER])
		return;
	enum err e = fw_video(en->width, en->height, en->bpp ? en->bpp : 32, &boot.fb);
	if (e) {
		boot_log("framebuffer: none (%s)", err_str(e));
		return;
	}
	boot.have_fb = 1;
	boot_log("framebuffer %llux%llu, %u bpp, pitch %llu, at 0x%llx (%zu modes)",
	         (unsigned long long)boot.fb.mode.width, (unsigned long long)boot.fb.mode.height,
	         boot.fb.mode.bpp, (unsigned long long)boot.fb.mode.pitch,
	         (unsigned long long)boot.fb.phys, boot.fb.mode_count);
}

/* The kernel's stack (64 KiB or the stack size request's) and GDT. */
static void stack_and_gdt(void)
{
	const struct limine_stack_size_request *ss = boot.req.req[REQ_STACK_SIZE];

	boot.stack_size = BOOT_STACK_SIZE;
	if (ss && boot.req.room[REQ_STACK_SIZE] >= sizeof(*ss) &&
	    ss->stack_size > BOOT_STACK_SIZE) {
		if (ss->stack_size > (1ull << 30))
			boot_fatal("kernel: stack size request of %llu bytes is too large",
			           (unsigned long long)ss->stack_size);
		boot.stack_size = (ss->stack_size + BOOT_PAGE - 1) & ~(BOOT_PAGE - 1);
	}
	boot.stack_phys =
	        boot_phys(boot_alloc_pages(boot.stack_size / BOOT_PAGE, BOOT_MEM_RECLAIMABLE));
	uint64_t *gdt = boot_alloc(7 * sizeof(uint64_t));
	arch_gdt_fill(gdt);
	boot.gdt_phys = boot_phys(gdt);
}

/* Leaves the firmware and jumps; from here only serial output works. */
__attribute__((noreturn)) static void finish(void)
{
	struct arch_handoff h = {
	        .cr3 = boot.pt.root,
	        .gdt = boot_hhdm(boot.gdt_phys),
	        .stack_top = boot_hhdm(boot.stack_phys + boot.stack_size),
	        .entry = boot.entry_point,
	};

	boot_log("leaving the firmware; entering the kernel at 0x%llx",
	         (unsigned long long)h.entry);
	enum err e = fw_exit(&boot.raw, &boot.exit);
	if (e)
		boot_fatal("cannot leave the firmware: %s", err_str(e));
	arch_mask_irqs(boot.acpi.ioapic_address, boot.acpi.ioapic_count);
	proto_memmap_finish();
	smp_start();
	boot_log("memory map: %zu entries; jumping", boot.norm_count);
	arch_enter(&h);
}

void boot_main(void)
{
	log_init();
	boot_log("%s loader %s", BOOT_NAME, BOOT_VERSION);
	file_mount();
	config_load();
	kernel_load();
	modules_load();
	fw_platform(&boot.plat);
	video_setup();
	stack_and_gdt();
	proto_answer();
	space_build();
	smp_prepare();
	proto_memmap_prepare();
	finish();
}
