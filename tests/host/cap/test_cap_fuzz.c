/* The capability fuzz target (tests/fuzz/cap) under make test, without
 * libFuzzer: a few thousand random inputs of random lengths, then every
 * file of its seed corpus and regression folder.  Each must end with the
 * model agreeing and the pool whole.
 *
 * The seed is printed; CAP_SEED=N replays a run, CAP_FUZZ_RUNS=N sets how
 * many inputs.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../fuzz/cap/fuzz_cap.h"
#include "../htest.h"

#define MAXLEN 4096

static uint64_t rs;

static uint64_t rng(void)
{
	uint64_t z = (rs += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

HTEST(random_inputs)
{
	static uint8_t buf[MAXLEN];
	const char *s = getenv("CAP_SEED"), *n = getenv("CAP_FUZZ_RUNS");
	long runs = n ? strtol(n, NULL, 0) : 3000;
	unsigned invocations = 0, ok = 0;

	rs = s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)clock();
	printf("    # seed: %llu (CAP_SEED to replay)\n", (unsigned long long)rs);
	for (long r = 0; r < runs; r++) {
		size_t len = rng() % MAXLEN;
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rng();
		const char *why = fuzz_cap_one(buf, len);
		if (why)
			printf("    # run %ld (%zu bytes): %s\n", r, len, why);
		HT_ASSERT(why == NULL);
		invocations += fuzz_cap_stats()->invocations;
		ok += fuzz_cap_stats()->ok;
	}
	printf("    # %ld inputs: %u invocations, %u succeeded\n", runs, invocations, ok);
	/* the inputs reach past the refusals: operations do happen */
	HT_EXPECT(ok * 20 > invocations);
}

/* Every file of dir through the target. */
static void replay(const char *dir)
{
	static uint8_t buf[1 << 16];
	char path[512];
	DIR *d = opendir(dir);
	struct dirent *e;
	int files = 0;

	HT_ASSERT(d != NULL);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *fp = fopen(path, "rb");
		HT_ASSERT(fp != NULL);
		size_t len = fread(buf, 1, sizeof buf, fp);
		fclose(fp);
		const char *why = fuzz_cap_one(buf, len);
		if (why)
			printf("    # %s: %s\n", path, why);
		HT_EXPECT(why == NULL);
		files++;
	}
	closedir(d);
	printf("    # %s: %d inputs\n", dir, files);
}

HTEST(corpus_and_regressions)
{
	replay("tests/fuzz/cap/corpus");
	replay("tests/fuzz/cap/regress");
}

HTEST_MAIN("cap_fuzz")
