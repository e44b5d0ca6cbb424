/* Test accounting for a test kernel's report (a ktap matrix entry): which
 * results it must contain follows from the cases its sources declare
 * (ktests.h) and the cores online, not from the report itself, so a case
 * left out of the link, a core that reported nothing, or a wrong plan
 * fails the entry; and every skip must be one the entry lists (skip=).
 *
 * Results are named cpuN.suite.name.  A KTEST or KTEST_SMP case must appear
 * once for every online core, a KTEST_BSP case once, for cpu0.  The online
 * cores are core 0 and those that reported results; there must be as many
 * as the entry expects online.  The plan 1..N must count them all.
 *
 * Skips: a skipped result that the entry's skip= list does not name fails
 * (report.c), and so does a listed skip that did not happen: cpuN.suite.name
 * must have been skipped on core N, cpu*.suite.name on every core that
 * reported the case. */
#ifndef TOOLS_HARNESS_ACCOUNT_H
#define TOOLS_HARNESS_ACCOUNT_H

#include "ktap.h"
#include "ktests.h"
#include "matrix.h"

/* One problem: the result (or "plan", "cores", "skip=PATTERN") and why. */
struct account_item {
	char name[160];
	char detail[400];
};

struct account {
	struct account_item *v;
	int n, cap;
};

/* Checks report k of entry e against the declared cases decl (NULL: only
 * the skips).  complete: the run ended through isa-debug-exit with a
 * well-formed report; only then are missing results, the core count, the
 * plan and listed skips that did not happen checked.  Appends the problems
 * to out. */
void account_check(const struct matrix_entry *e, const struct ktap *k, const struct ktests *decl,
                   int complete, struct account *out);

void account_free(struct account *a);

#endif
