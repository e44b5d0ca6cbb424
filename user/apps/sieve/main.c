/* sieve: the primes below its argument --limit (sieve_args.schema; its
 * default: a million) by Eratosthenes' sieve, in a byte array on the heap
 * whose pages the runtime maps as the sieve first touches them.  Ends
 * with 0 if, below a million, it found the 78,498 there are. */
#include <rt/args.h>
#include <rt/heap.h>
#include <rt/mem.h>
#include <rt/rt.h>
#include <sieve_args.h>
#include <string/mem.h>

#define MILLION 1000000u
#define PRIMES  78498u /* below 10^6 */

int main(void)
{
	struct sieve_args args;

	RT_ARGS(sieve_args, &args);
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
	free(composite);
	rt_printf("sieve: %u primes below %llu; %llu heap pages, mapped as they were touched\n", n,
	          (unsigned long long)LIMIT, (unsigned long long)rt_heap_pages());
	return LIMIT != MILLION || n == PRIMES ? 0 : 2;
}
