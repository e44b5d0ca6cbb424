/* Every core's CPU driver start, and the boot core's side of the cores'
 * conversation: boot reports, log lines, the online set.  See smp.h; the
 * building and releasing of cores is in smp_build.c. */
#include "smp.h"

#include <tessera/msg.h>

#include "capboot/capboot.h"
#include "cmdline.h"
#include "frame.h"
#include "hhdm.h"
#include "ktime.h"
#include "log.h"
#include "logfwd.h"
#include "mm/mm.h"

static const struct smp_handoff *me;
static uint64_t online = 1;   /* core 0 always */
static uint64_t reported = 1; /* core 0: boot reports seen */
static uint64_t missing;
static bool waited;
static smp_msg_hook hook;

#define BIT(c) (1ull << (c))

unsigned smp_self(void)
{
	return me ? me->self : 0;
}

unsigned smp_ncores(void)
{
	return me ? me->ncores : 1;
}

const struct smp_handoff *smp_record(void)
{
	return me;
}

const struct smp_core *smp_core(unsigned c)
{
	return me && c < me->ncores ? &me->cores[c] : NULL;
}

uint64_t smp_online(void)
{
	return online;
}

uint64_t smp_missing(void)
{
	return missing;
}

bool smp_kernel_file(const void **data, size_t *size)
{
	if (!me || !me->kernel_file)
		return false;
	*data = (const void *)(uintptr_t)me->kernel_file;
	*size = me->kernel_file_size;
	return true;
}

bool smp_held(unsigned c)
{
	return c != 0 && cmdline_list_has("smp.hold", c);
}

/* This core's end of every channel to a core that was built. */
static enum err attach_channels(const struct smp_handoff *h)
{
	enum err first = ERR_OK;

	chan_init(h->self);
	for (unsigned p = 0; p < h->ncores; p++) {
		if (p == h->self || h->cores[p].state == SMP_CORE_ABSENT)
			continue;
		uint64_t block =
		        h->chan_phys + chan_block_index(h->self, p, h->ncores) * CHAN_BLOCK_STRIDE;
		enum err e = chan_attach(p, hhdm_ptr(block), h->cores[p].hwid);
		if (first == ERR_OK)
			first = e;
	}
	return first;
}

/* This core's pool from the handoff, its untyped region held at once,
 * before anything can allocate from the pool (capboot.h). */
static enum err start_frames(const struct smp_handoff *h)
{
	enum err e = frame_init(h->span.base, h->span.size, hhdm_ptr(h->meta_phys), h->meta_size);

	for (uint64_t k = 0; k < h->nfree && e == ERR_OK; k++)
		e = frame_add(h->free[k].base, h->free[k].size);
	if (e == ERR_OK)
		e = capboot_hold(&h->untyped);
	return e;
}

enum err smp_start_core(const struct smp_handoff *h)
{
	struct arch_clock clock;

	if (h->magic != SMP_HANDOFF_MAGIC || h->self >= SMP_MAX_CORES || h->ncores > SMP_MAX_CORES)
		return ERR_CORRUPT;
	me = h;
	online = BIT(0) | BIT(h->self);
	ktime_init(h->cycles_hz);
	enum err e = attach_channels(h), e2 = start_frames(h);
	if (e == ERR_OK)
		e = e2;
	e2 = arch_irq_init(h->cycles_hz, SMP_TIMER_HZ, &clock);
	return e != ERR_OK ? e : e2;
}

void smp_set_hook(smp_msg_hook h)
{
	hook = h;
}

/* A core's BOOT_REPORT. */
static void on_report(unsigned from, const struct urpc_msg *m)
{
	struct msg_boot_report r;

	if (msg_decode_boot_report(m, &r) != ERR_OK || r.core != from) {
		log_printf("smp: malformed boot report from core %u\n", from);
		return;
	}
	if (waited) {
		log_printf("smp: core %u reported after the wait; not counted online\n", from);
		return;
	}
	if (r.status != ERR_OK) {
		log_printf("smp: core %u failed to start: %s\n", from, err_str((enum err)r.status));
		return;
	}
	reported |= BIT(from);
}

void smp_handle(unsigned from, const struct urpc_msg *m)
{
	if (mm_handle(from, m) || capboot_handle(from, m))
		return;
	if (m->type == MSG_LOG_LINE)
		logfwd_print(from, m);
	else if (m->type == MSG_BOOT_REPORT)
		on_report(from, m);
	else if (hook)
		hook(from, m);
	else
		log_printf("smp: unexpected %s message from core %u\n", msg_type_name(m->type),
		           from);
}

void smp_pump_one(unsigned core)
{
	struct urpc_msg m;

	while (chan_recv(core, &m) == ERR_OK)
		smp_handle(core, &m);
}

void smp_pump(void)
{
	for (unsigned p = 1; p < smp_ncores(); p++)
		if (chan_up(p))
			smp_pump_one(p);
}

/* The cores core 0 expects a report from: every one with a CPU driver;
 * held ones too, so the timeout is what reports them. */
static uint64_t expected_cores(void)
{
	uint64_t want = 0;

	for (unsigned c = 1; c < smp_ncores(); c++)
		if (me->cores[c].state == SMP_CORE_RELEASED || me->cores[c].state == SMP_CORE_HELD)
			want |= BIT(c);
	return want;
}

/* Logs why core c is not online. */
static void log_missing(unsigned c, uint64_t timeout_ms)
{
	const struct smp_core *k = smp_core(c);
	uint32_t state = k ? k->state : SMP_CORE_ABSENT;

	if (state == SMP_CORE_ABSENT)
		log_printf("tessera: smp: core %u missing: never started (no memory or page tables "
		           "for its CPU driver)\n",
		           c);
	else
		log_printf("tessera: smp: core %u (APIC id %u) missing: no boot report within %llu "
		           "ms%s\n",
		           c, k->hwid, (unsigned long long)timeout_ms,
		           state == SMP_CORE_HELD ? " (held back by smp.hold)" : "");
}

unsigned smp_wait_reports(void)
{
	uint64_t timeout = SMP_REPORT_TIMEOUT_MS;
	unsigned n = 0;

	if (!me)
		return 1;
	cmdline_u64("smp.timeout_ms", &timeout);
	uint64_t want = expected_cores(), start = arch_cycles();
	uint64_t deadline = ktime_deadline(timeout);
	while ((reported & want) != want && !ktime_passed(deadline)) {
		smp_pump();
		if ((reported & want) != want)
			chan_sleep(want & ~reported);
	}
	smp_pump();
	waited = true;
	online = BIT(0) | (reported & want);
	log_printf("smp: %u of %u other cores reported in %llu ms\n",
	           (unsigned)__builtin_popcountll(online & ~BIT(0)),
	           (unsigned)__builtin_popcountll(want),
	           (unsigned long long)(ktime_cycles_to_us(arch_cycles() - start) / 1000));
	for (unsigned c = 1; c < smp_ncores(); c++)
		if (!(online & BIT(c))) {
			missing |= BIT(c);
			log_missing(c, timeout);
		}
	struct msg_core_ctrl ctl = {.op = MSG_CTRL_ONLINE, .mask = online};
	for (unsigned c = 0; c < smp_ncores(); c++) {
		n += (online >> c) & 1;
		if (c && (online & BIT(c)))
			chan_send_wait(c, MSG_CORE_CTRL, &ctl, sizeof ctl, 1000);
	}
	return n;
}

_Noreturn void smp_serve(void)
{
	for (;;) {
		smp_pump();
		chan_sleep(online & ~BIT(0));
	}
}

/* An AP: one request from core 0. */
static void ap_handle(const struct urpc_msg *m)
{
	struct msg_core_ctrl c;

	if (msg_decode_core_ctrl(m, &c) != ERR_OK) {
		log_printf("smp: unexpected %s message from core 0\n", msg_type_name(m->type));
		return;
	}
	if (c.op == MSG_CTRL_ONLINE)
		online = c.mask;
	else if (c.op == MSG_CTRL_TEST_RUN && ktest_ap_run)
		ktest_ap_run(c.arg);
	else if (c.op == MSG_CTRL_BENCH && bench_ap)
		bench_ap(0);
	else
		log_printf("smp: request %u from core 0 not handled here\n", c.op);
}

_Noreturn void smp_ap_loop(void)
{
	for (;;) {
		struct urpc_msg m;
		if (chan_recv(0, &m) != ERR_OK)
			chan_sleep(BIT(0));
		else if (!mm_handle(0, &m) && !capboot_handle(0, &m))
			ap_handle(&m);
	}
}
