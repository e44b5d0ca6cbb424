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
#include "msgloop.h"

static uint64_t reported = 1; /* core 0: boot reports seen */
static uint64_t missing;
static uint64_t failed; /* core 0: cores that reported a failed start */
static bool waited;

#define BIT(c) (1ull << (c))

uint64_t smp_missing(void)
{
	return missing;
}

uint64_t smp_failed(void)
{
	return failed;
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
	if (r.status != ERR_OK || r.failed) {
		log_printf("tessera: smp: core %u failed to start:%s%s%s %s; not counted online\n",
		           from, r.failed & MSG_BOOT_FAILED_CPU ? " CPU driver" : "",
		           r.failed & MSG_BOOT_FAILED_MM ? " memory management" : "",
		           r.failed & MSG_BOOT_FAILED_CAPS ? " capability space" : "",
		           err_str(r.status ? (enum err)r.status : ERR_INVAL));
		failed |= BIT(from);
		return;
	}
	reported |= BIT(from);
}

/* CORE_CTRL: notifications (the online set from core 0, a test barrier). */
static void on_ctrl(unsigned from, const struct urpc_msg *m)
{
	struct msg_core_ctrl c;

	if (msg_decode_core_ctrl(m, &c) != ERR_OK)
		return;
	if (c.op == MSG_CTRL_ONLINE && from == 0)
		core_set_online(c.mask);
	else if (c.op == MSG_CTRL_BARRIER && ktest_barrier_msg)
		ktest_barrier_msg(from);
	else
		log_printf("smp: CORE_CTRL op %u from core %u not handled here\n", c.op, from);
}

/* CORE_RUN: a job from core 0, at this core's top level. */
static void on_run(unsigned from, const struct urpc_msg *m)
{
	struct msg_core_run r;

	if (msg_decode_core_run(m, &r) != ERR_OK)
		return;
	if (r.job == MSG_RUN_TEST && from == 0 && ktest_ap_run)
		ktest_ap_run(r.arg);
	else if (r.job == MSG_RUN_BENCH && from == 0 && bench_ap)
		bench_ap(from);
	else
		log_printf("smp: job %u from core %u not run here\n", r.job, from);
}

/* The cores' conversation: core 0 takes the reports and log lines; the
 * others take jobs. */
static void register_handlers(unsigned self)
{
	msgloop_register(MSG_CORE_CTRL, on_ctrl, MSGLOOP_NESTED);
	if (self == 0) {
		msgloop_register(MSG_BOOT_REPORT, on_report, MSGLOOP_NESTED);
		msgloop_register(MSG_LOG_LINE, logfwd_print, MSGLOOP_NESTED);
	} else {
		msgloop_register(MSG_CORE_RUN, on_run, MSGLOOP_TOP);
	}
}

enum err smp_start_core(const struct smp_handoff *h)
{
	struct arch_clock clock;
	enum err e = core_adopt(h), e2;

	if (e)
		return e;
	ktime_init(h->cycles_hz);
	register_handlers(h->self);
	e = attach_channels(h);
	e2 = start_frames(h);
	if (e == ERR_OK)
		e = e2;
	e2 = arch_irq_init(h->cycles_hz, SMP_TIMER_HZ, &clock);
	return e != ERR_OK ? e : e2;
}

/* The cores core 0 expects a report from: every one with a CPU driver;
 * held ones too, so the timeout is what reports them. */
static uint64_t expected_cores(void)
{
	uint64_t want = 0;

	for (unsigned c = 1; c < core_count(); c++)
		if (core_info(c)->state == SMP_CORE_RELEASED ||
		    core_info(c)->state == SMP_CORE_HELD)
			want |= BIT(c);
	return want;
}

/* Logs why core c is not online. */
static void log_missing(unsigned c, uint64_t timeout_ms)
{
	const struct smp_core *k = core_info(c);
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

static bool all_reported(void *want)
{
	return ((reported | failed) & *(uint64_t *)want) == *(uint64_t *)want;
}

unsigned smp_wait_reports(void)
{
	uint64_t timeout = SMP_REPORT_TIMEOUT_MS, online;
	unsigned n = 0;

	if (!core_record())
		return 1;
	cmdline_u64("smp.timeout_ms", &timeout);
	uint64_t want = expected_cores(), start = arch_cycles();
	msgloop_wait(all_reported, &want, ktime_deadline(timeout));
	waited = true;
	online = BIT(0) | (reported & want);
	core_set_online(online);
	log_printf("smp: %u of %u other cores reported in %llu ms\n",
	           (unsigned)__builtin_popcountll(online & ~BIT(0)),
	           (unsigned)__builtin_popcountll(want),
	           (unsigned long long)(ktime_cycles_to_us(arch_cycles() - start) / 1000));
	for (unsigned c = 1; c < core_count(); c++)
		if (!(online & BIT(c))) {
			missing |= BIT(c);
			if (!(failed & BIT(c)))
				log_missing(c, timeout);
		}
	struct msg_core_ctrl ctl = {.op = MSG_CTRL_ONLINE, .mask = online};
	for (unsigned c = 0; c < core_count(); c++) {
		n += (online >> c) & 1;
		if (c && (online & BIT(c)))
			msgloop_send(c, MSG_CORE_CTRL, &ctl, sizeof ctl, ktime_deadline(1000));
	}
	return n;
}
