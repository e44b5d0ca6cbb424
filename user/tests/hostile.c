/* A program that tries every way out of its sandbox (hostile.h): the kernel
 * test (kernel/sched/hostile_test.c) runs it in a capability space of its
 * own with an untyped of its own, next to a victim (this program too, in
 * HOSTILE_VICTIM mode), and checks its exit code (escapes plus wrong
 * refusals), the number of checks and that every frame comes back.  The
 * self-destruction modes delete one of its own well-known objects while it
 * runs: that must end only this program. */
#include "hostile.h"

#include <fmt/fmt.h>
#include <string/mem.h>

struct testpage *const tp = (struct testpage *)(uintptr_t)TESTPAGE_VA;

static void fail(int line, const char *kind, const char *what, const char *detail)
{
	char text[120];
	size_t n = 0;

	/* the check's source text on one line (asm: no "%%", tabs, newlines) */
	for (const char *s = what; *s && n < sizeof text - 1; s++)
		if (!(s[0] == '%' && s[1] == '%') && *s != '\t')
			text[n++] = *s == '\n' ? ';' : *s;
	text[n] = '\0';
	if (!tp->first_line)
		tp->first_line = (uint64_t)line;
	rt_printf("hostile: %s line %d: %s%s\n", kind, line, text, detail);
}

void hostile_err(int line, const char *what, enum err got, enum err want)
{
	char detail[96];

	tp->checks++;
	if (got == want)
		return;
	fmt_snprintf(detail, sizeof detail, ": %s, not %s", got ? err_str(got) : "ok",
	             want ? err_str(want) : "ok");
	if (got == ERR_OK) {
		tp->escapes++;
		fail(line, "ESCAPE", what, detail);
	} else {
		tp->wrong++;
		fail(line, "WRONG", what, detail);
	}
}

void hostile_true(int line, const char *what, bool cond)
{
	tp->checks++;
	if (!cond) {
		tp->escapes++;
		fail(line, "ESCAPE", what, ": false");
	}
}

static void fault_check(int line, const char *what, unsigned v1, unsigned v2, bool pf,
                        uint64_t address, unsigned err, unsigned mask)
{
	struct probe_fault f;
	bool took = probe_took(&f);
	char detail[96];

	tp->checks++;
	if (took)
		tp->faults++;
	if (v1 == NO_FAULT) {
		if (!took)
			return;
		fmt_snprintf(detail, sizeof detail, ": fault %llu", (unsigned long long)f.vector);
		tp->wrong++;
		fail(line, "WRONG", what, detail);
		return;
	}
	if (!took) {
		tp->escapes++;
		fail(line, "ESCAPE", what, ": no fault");
		return;
	}
	if ((f.vector == v1 || f.vector == v2) &&
	    (!pf || (f.address == address && (f.error & mask) == err)))
		return;
	fmt_snprintf(detail, sizeof detail, ": vector %llu address %#llx error %#llx",
	             (unsigned long long)f.vector, (unsigned long long)f.address,
	             (unsigned long long)f.error);
	tp->wrong++;
	fail(line, "WRONG", what, detail);
}

void hostile_fault(int line, const char *what, unsigned vector)
{
	fault_check(line, what, vector, vector, false, 0, 0, 0);
}

void hostile_fault2(int line, const char *what, unsigned v1, unsigned v2)
{
	fault_check(line, what, v1, v2, false, 0, 0, 0);
}

void hostile_page_fault(int line, const char *what, uint64_t address, unsigned err,
                        unsigned err_mask)
{
	fault_check(line, what, 14, 14, true, address, err, err_mask);
}

enum err hostile_inv(uint64_t cap, uint64_t depth, uint64_t method, const uint64_t *args,
                     unsigned n, struct cap_invocation_result *res)
{
	struct cap_invocation_args a = {.cap = cap, .depth = depth, .method = method};
	struct cap_invocation_result r;

	for (unsigned i = 0; i < n && i < CAP_INV_ARGS; i++)
		a.arg[i] = args[i];
	return invoke_raw(&a, res ? res : &r);
}

/* The victim: a secret in a page of its own, intact after the hostile
 * program had its go; its own caps too. */
static uint8_t secret[4096] __attribute__((aligned(4096)));

static int victim(void)
{
	struct cap_results_identify id;
	int bad = 0;

	for (unsigned i = 0; i < sizeof secret; i++)
		secret[i] = (uint8_t)(i * 7 + 3);
	tp->secret_va = (uint64_t)(uintptr_t)secret;
	__atomic_store_n(&tp->ready, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&tp->go, __ATOMIC_ACQUIRE))
		rt_yield();
	for (unsigned i = 0; i < sizeof secret; i++)
		bad += secret[i] != (uint8_t)(i * 7 + 3);
	static const uint8_t types[] = {[SLOT_ROOT] = CAP_CNODE,
	                                [SLOT_DISPATCHER] = CAP_DISPATCHER,
	                                [SLOT_DISP_FRAME] = CAP_FRAME,
	                                [SLOT_IMAGE] = CAP_CNODE,
	                                [SLOT_ARGS] = CAP_FRAME};
	for (unsigned s = 1; s < sizeof types; s++)
		if (types[s] && (invoke_identify(s, D8, &id) || id.type != types[s]))
			bad++;
	if (bad)
		rt_printf("victim: %d bytes or caps changed\n", bad);
	return bad ? 1 : 0;
}

/* Deletes one of its own well-known objects; whatever comes back is an
 * escape (the dispatcher ends, or its code is gone). */
static int self_destruct(uint64_t slot)
{
	enum err e = invoke_delete(SLOT_ROOT, D8, slot, D8, NULL);
	rt_printf("hostile: still running after deleting slot %llu (%s)\n",
	          (unsigned long long)slot, err_str(e));
	return 1;
}

static int everything(void)
{
	hostile_cpu();
	hostile_objects();
	hostile_addresses();
	hostile_kmem();
	hostile_rights();
	hostile_badges();
	hostile_methods();
	hostile_dispatch();
	hostile_log();
	hostile_retype();
	hostile_other();
	hostile_own();
	rt_printf("hostile: %llu checks, %llu faults, %llu escapes, %llu wrong refusals\n",
	          (unsigned long long)tp->checks, (unsigned long long)tp->faults,
	          (unsigned long long)tp->escapes, (unsigned long long)tp->wrong);
	if (HOSTILE_CHECKS && tp->checks != HOSTILE_CHECKS)
		rt_printf("hostile: %llu checks, %u expected\n", (unsigned long long)tp->checks,
		          HOSTILE_CHECKS);
	return (int)(tp->escapes + tp->wrong);
}

int main(void)
{
	if (tp->magic != TESTPAGE_MAGIC)
		return 100;
	probe_init();
	switch (tp->mode) {
	case HOSTILE_EVERYTHING: return everything();
	case HOSTILE_VICTIM: return victim();
	case HOSTILE_DELETE_DISPATCHER: return self_destruct(SLOT_DISPATCHER);
	case HOSTILE_DELETE_VSPACE: return self_destruct(SLOT_VSPACE);
	case HOSTILE_DELETE_IMAGE: return self_destruct(SLOT_IMAGE);
	case HOSTILE_DELETE_FRAME: return self_destruct(SLOT_DISP_FRAME);
	}
	return 101;
}
