/* The boot path of the CPU driver: on the bootstrap processor from the
 * loader's hand-off (arch entry stub -> kmain) through building every
 * core (smp_boot) to its own page tables (kmain_bsp) and the serving loop;
 * on every other core from arch_ap_entry to kmain_ap and its request loop. */
#include <arch/arch.h>
#include <stdbool.h>
#include <stdint.h>
#include <string/mem.h>
#include <tessera/msg.h>

#include "boot.h"
#include "bootsum.h"
#include "capboot/capboot.h"
#include "cmdline.h"
#include "fault.h"
#include "fbcon.h"
#include "frame.h"
#include "hhdm.h"
#include "ksym.h"
#include "ktest.h"
#include "ktime.h"
#include "log.h"
#include "logfwd.h"
#include "mm/mm.h"
#include "msgloop.h"
#include "panic.h"
#include "sched/sched.h"
#include "sched/spawn.h"
#include "smp.h"

_Noreturn void kmain(void);

/* The benchmark kernel's entry after boot: weak, NULL elsewhere. */
void bench_run(void) __attribute__((weak));

/* Log output callback for the serial port. */
static void serial_write(void *ctx, const char *s, size_t n)
{
	arch_serial_write(s, n);
}

static struct log_output serial_out = {.write = serial_write};

/* The framebuffer console, when the loader gave us a framebuffer we can draw. */
static void start_console(void)
{
	const struct limine_framebuffer *fb = boot_framebuffer();
	enum err e = fb ? fbcon_boot_start(fb) : ERR_NOENT;

	if (e != ERR_OK)
		log_printf("tessera: no framebuffer console: %s\n",
		           fb ? err_str(e) : "no framebuffer response");
}

/* Symbols for backtraces, from the kernel file the loader kept in memory. */
static void load_symbols(void)
{
	const struct limine_kernel_file_response *r = boot_info.kernel_file;
	const struct limine_file *f = r ? (const void *)(uintptr_t)r->kernel_file : NULL;
	enum err e = f ? ksym_init((const void *)(uintptr_t)f->address, f->size) : ERR_NOENT;

	if (e != ERR_OK)
		log_printf("ksym: no kernel symbols (%s); backtraces are unsymbolised\n",
		           f ? err_str(e) : "no kernel file response");
}

/* Year, month, day from days since 1970-01-01 (proleptic Gregorian). */
static void civil_date(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468; /* days since 0000-03-01 */
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                      /* 0..146096 */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* from March 1 */
	int64_t mp = (5 * doy + 2) / 153;

	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* One line per fact the loader reported, or why it is missing. */
static void log_boot_facts(void)
{
	const struct boot_info *b = &boot_info;
	if (b->kernel_address)
		log_printf("kernel: physical %#llx, virtual %#llx\n",
		           (unsigned long long)b->kernel_address->physical_base,
		           (unsigned long long)b->kernel_address->virtual_base);
	if (b->kernel_file) {
		const struct limine_file *f = (const void *)(uintptr_t)b->kernel_file->kernel_file;
		log_printf("kernel file: %s, %llu bytes, cmdline \"%s\"\n", boot_str(f->path),
		           (unsigned long long)f->size, boot_str(f->cmdline));
	}
	if (b->hhdm)
		log_printf("hhdm: offset %#llx\n", (unsigned long long)b->hhdm->offset);
	log_printf("paging: %s, stack (%u KiB): %s\n",
	           !b->paging_mode                                   ? "mode not reported"
	           : b->paging_mode->mode == ARCH_LIMINE_PAGING_MODE ? "as requested"
	                                                             : "NOT as requested",
	           BOOT_STACK_SIZE / 1024, b->stack_size ? "as requested" : "loader default");
	if (b->rsdp)
		log_printf("acpi: RSDP at %#llx\n", (unsigned long long)b->rsdp->address);
	if (b->boot_time) {
		int64_t t = b->boot_time->boot_time, y;
		int64_t days = t / 86400 - (t % 86400 < 0), secs = t - days * 86400;
		unsigned m, d;
		civil_date(days, &y, &m, &d);
		log_printf("time: %04lld-%02u-%02u %02lld:%02lld:%02lld UTC at boot\n",
		           (long long)y, m, d, (long long)(secs / 3600),
		           (long long)(secs / 60 % 60), (long long)(secs % 60));
	}
	log_printf("smp: the loader reports %llu CPUs (BSP LAPIC id %u, %s)\n",
	           (unsigned long long)boot_cpu_count(), b->smp ? b->smp->bsp_lapic_id : 0,
	           b->smp && (b->smp->flags & LIMINE_SMP_X2APIC) ? "x2APIC" : "xAPIC");
}

/* Prints the memory map. */
static void log_memmap(void)
{
	for (size_t i = 0; i < boot_memmap_count(); i++) {
		const struct limine_memmap_entry *e = boot_memmap_entry(i);
		log_printf("  mem %016llx-%016llx %s\n", (unsigned long long)e->base,
		           (unsigned long long)(e->base + e->length),
		           boot_memmap_type_name(e->type));
	}
}

/* The name of a module: its path's last component. */
static const char *module_name(const struct limine_file *m)
{
	const char *path = boot_str(m->path), *base = path;

	for (const char *p = path; *p; p++)
		if (*p == '/')
			base = p + 1;
	return base;
}

/* The contents of the motd module, if the loader brought one. */
static void log_motd(void)
{
	for (size_t i = 0; i < boot_module_count(); i++) {
		const struct limine_file *m = boot_module(i);
		const char *text = (const char *)(uintptr_t)m->address;
		if (strcmp(module_name(m), "motd.txt") != 0 || !text || m->size == 0)
			continue;
		bool ends_line = text[m->size - 1] == '\n';
		log_printf("%.*s%s", (int)m->size, text, ends_line ? "" : "\n");
	}
}

/* The cycle counter when core 0's CPU driver started (its first C line). */
static uint64_t entry_cycles;

/* The boot's clocks from the guest's side: the cycle counter counts from
 * the machine's reset (QEMU zeroes it there), so it dates the kernel's
 * entry and boot complete; benchmarks (tools/bench) read the line. */
static void log_clocks(void)
{
	uint64_t now = arch_cycles();

	log_printf("tessera: clocks: kernel entry %llu us, boot complete %llu us after reset\n",
	           (unsigned long long)ktime_cycles_to_us(entry_cycles),
	           (unsigned long long)ktime_cycles_to_us(now));
}

/* How long an AP waits for its untyped before it starts its monitor. */
#define MONITOR_UNTYPED_MS 30000

/* This core's monitor, from its boot module (sched/spawn.h); not in the
 * test and bench kernels, whose cases own the cores and their memory. */
static void start_monitor(void)
{
	if (ktest_run_all || bench_run)
		return;
	enum err e = spawn_monitor();

	if (e)
		log_printf("tessera: core %u: no monitor: %s\n", core_self(), err_str(e));
}

/* An AP: its untyped caps have all arrived from core 0, or it retired. */
static bool untyped_settled(void *unused)
{
	return capboot_untyped_complete() || capboot_retired();
}

/* Core 0 on its own page tables and stack (or, if smp_boot could not give
 * it any, still on the loader's: handoff NULL). */
static _Noreturn void kmain_bsp(void *handoff)
{
	const struct boot_info *b = &boot_info;
	enum err e = handoff ? smp_start_core(handoff) : ERR_UNSUPPORTED;
	sched_init();
	mm_core_init(0);
	capboot_init(true);

	if (e != ERR_OK)
		log_printf("tessera: core 0's CPU driver is incomplete: %s\n", err_str(e));
	log_printf("memory: %zu frames free (%zu MiB) on core 0\n", frame_free_count(),
	           (size_t)(frame_free_count() * FRAME_SIZE >> 20));
	log_motd();
	if (ktest_run_all) /* the test kernel: the loader-conformance summary */
		bootsum_print();
	unsigned online = smp_wait_reports();
	capboot_hand_out(core_online());
	log_printf("tessera: loader: %s %s, firmware: %s\n",
	           b->loader ? boot_str(b->loader->name) : "unknown",
	           b->loader ? boot_str(b->loader->version) : "",
	           b->firmware ? boot_firmware_name(b->firmware->firmware_type) : "unknown");
	log_printf("tessera: boot complete: %u/%llu cores online\n", online,
	           (unsigned long long)boot_cpu_count());
	log_clocks();
	start_monitor();
	if (ktest_run_all)
		ktest_run_all();
	if (bench_run)
		bench_run();
	sched_run();
}

_Noreturn void kmain(void)
{
	entry_cycles = arch_cycles();
	arch_serial_init();
	arch_serial_write("\n", 1); /* the loader may have left the line unfinished */
	log_init(0);
	log_attach(&serial_out, false);
	if (ktest_boot)
		ktest_boot();
	if (boot_revision_word() != 0) {
		log_printf("tessera: the loader did not accept Limine base revision %d "
		           "(revision word left at %llu); refusing to boot\n",
		           BOOT_BASE_REVISION, (unsigned long long)boot_revision_word());
		panic_halt();
	}
	arch_cpu_init();
	boot_collect();
	if (boot_info.hhdm)
		hhdm_init(boot_info.hhdm->offset);
	start_console();
	log_printf("tessera: %s CPU driver starting\n", ARCH_NAME);
	load_symbols();
	log_boot_facts();
	if (boot_info.kernel_file)
		cmdline_init(boot_str(
		        ((const struct limine_file *)(uintptr_t)boot_info.kernel_file->kernel_file)
		                ->cmdline));
	log_memmap();
	smp_boot(kmain_bsp);
	kmain_bsp(NULL);
}

static enum err mm_start(void)
{
	return mm_core_init(core_self());
}

static enum err caps_start(void)
{
	return capboot_init(false);
}

/* Starts one part of an AP's CPU driver (unless the test kernel's
 * fault.start says it fails) and records a failure in its boot report. */
static void start_part(const char *name, uint32_t bit, struct msg_boot_report *r,
                       enum err (*start)(void))
{
	enum err e = fault_on_start ? fault_on_start(name) : ERR_OK;

	if (e == ERR_OK)
		e = start();
	if (e == ERR_OK)
		return;
	log_printf("tessera: core %u: %s did not start: %s\n", core_self(), name, err_str(e));
	r->failed |= bit;
	if (r->status == ERR_OK)
		r->status = e;
}

/* An AP, on its own page tables and stack (arch_ap_entry).  Its log reaches
 * the console through core 0 once its channels are up. */
_Noreturn void kmain_ap(void *record)
{
	const struct smp_handoff *h = record;

	arch_cpu_init();
	log_init(h->self);
	hhdm_init(h->hhdm_offset);
	cmdline_init((const char *)(uintptr_t)h->cmdline);
	boot_info.memmap = (const void *)(uintptr_t)h->memmap;
	boot_info.modules = (const void *)(uintptr_t)h->modules;
	if (ktest_boot)
		ktest_boot();
	enum err e = smp_start_core(h);
	sched_init();
	if (chan_up(0))
		logfwd_attach();
	log_printf("tessera: %s CPU driver on core %u: APIC id %u, %zu MiB free: %s\n", ARCH_NAME,
	           h->self, arch_cpu_hwid(), (size_t)(frame_free_count() * FRAME_SIZE >> 20),
	           err_str(e));
	struct msg_boot_report r = {.core = h->self, .apic_id = arch_cpu_hwid(), .status = e};
	if (e)
		r.failed |= MSG_BOOT_FAILED_CPU;
	capboot_register_messages(); /* a core that does not start them still retires */
	start_part("mm", MSG_BOOT_FAILED_MM, &r, mm_start);
	start_part("caps", MSG_BOOT_FAILED_CAPS, &r, caps_start);
	enum err se = ksym_init((const void *)(uintptr_t)h->kernel_file, h->kernel_file_size);
	if (se != ERR_OK)
		log_printf("ksym: no kernel symbols (%s)\n", err_str(se));
	r.free_bytes = frame_free_count() * FRAME_SIZE;
	msgloop_send(0, MSG_BOOT_REPORT, &r, sizeof r, ktime_deadline(1000));
	if (!r.failed &&
	    msgloop_wait_top(untyped_settled, NULL, ktime_deadline(MONITOR_UNTYPED_MS)) == ERR_OK &&
	    !capboot_retired())
		start_monitor();
	sched_run();
}
