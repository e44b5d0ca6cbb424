/* The capability fuzz target's one function, callable without libFuzzer
 * (tests/host/cap/test_cap_fuzz.c feeds it random inputs under make test). */
#ifndef TESTS_FUZZ_CAP_FUZZ_CAP_H
#define TESTS_FUZZ_CAP_FUZZ_CAP_H

#include <stddef.h>
#include <stdint.h>

/* Runs the operations data describes against the capability core and the
 * reference model; NULL when they agreed throughout and the pool was whole
 * at the end, else what went wrong.  A crash is a finding too. */
const char *fuzz_cap_one(const uint8_t *data, size_t size);

/* What the last run did: invocations made, and how many succeeded. */
struct fuzz_cap_stats {
	unsigned invocations, ok;
};
const struct fuzz_cap_stats *fuzz_cap_stats(void);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
