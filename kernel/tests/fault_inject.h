/* What the test kernel's fault rules (fault.h) say, for the tests that
 * check the system's answer to them: their expected values come from the
 * rules, not from the code under test. */
#ifndef KERNEL_TESTS_FAULT_INJECT_H
#define KERNEL_TESTS_FAULT_INJECT_H

#include <stdbool.h>
#include <stdint.h>

/* chan.fault rules with this action ("drop", "dup", "delay") for messages of
 * type from core `from` to core `to`. */
unsigned fault_rules(const char *action, uint16_t type, unsigned from, unsigned to);

/* Whether a fault.start rule fails a part of core's start. */
bool fault_start_rule(unsigned core);

#endif
