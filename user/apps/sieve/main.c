/* sieve: the primes below its argument --limit (sieve_args.schema; its
 * default: a million) by Eratosthenes' sieve, in a byte array on the heap
 * whose pages the runtime maps as the sieve first touches them.  Its
 * configuration (sieve_config.schema) says what else it prints: the
 * largest primes it found, its heap pages.  Ends with 0 if, below a
 * million, it found the 78,498 there are. */
#include <rt/args.h>
#include <rt/heap.h>
#include <rt/mem.h>
#include <rt/rt.h>
#include <sieve_args.h>
#include <sieve_config.h>
#include <string/mem.h>

#define MILLION 1000000u
#define PRIMES  78498u /* below 10^6 */

/* The cfg->largest largest primes below limit (composite[i] 0: prime),
 * ascending, on one line. */
static void largest(const struct sieve_config *cfg, const uint8_t *composite, uint64_t limit)
{
	uint64_t found[8];
	unsigned k = 0;

	for (uint64_t i = limit - 1; i >= 2 && k < cfg->largest && k < 8; i--)
		if (!composite[i])
			found[k++] = i;
	rt_printf("sieve: the %u largest below %llu:", k, (unsigned long long)limit);
	while (k)
		rt_printf(" %llu", (unsigned long long)found[--k]);
	rt_printf("\n");
}

int main(void)
{
	struct sieve_args args;
	struct sieve_config cfg;

	RT_ARGS(sieve_args, &args);
	RT_CONFIG(sieve_config, &cfg);
	const uint64_t LIMIT = args.limit;
	uint8_t *composite = calloc(LIMIT, 1);
	unsigned n = 0;

	if (!composite)
		return 1;
	for (uint64_t i = 2; i < LIMIT; i++) {
		if (composite[i])
			continue;
		n++;
		for (uint64_t j = i * i; j < LIMIT; j += i)
			composite[j] = 1;
	}
	if (cfg.largest)
		largest(&cfg, composite, LIMIT);
	free(composite);
	if (cfg.heap)
		rt_printf("sieve: %u primes below %llu; %llu heap pages, mapped as they were "
		          "touched\n",
		          n, (unsigned long long)LIMIT, (unsigned long long)rt_heap_pages());
	else
		rt_printf("sieve: %u primes below %llu\n", n, (unsigned long long)LIMIT);
	return LIMIT != MILLION || n == PRIMES ? 0 : 2;
}
