/* sieve: the primes below its argument `limit` (its manifest's default: a
 * million) by Eratosthenes' sieve, in a byte array on the heap whose pages
 * the runtime maps as the sieve first touches them.  Ends with 0 if, below
 * a million, it found the 78,498 there are. */
#include <rt/heap.h>
#include <rt/image.h>
#include <rt/mem.h>
#include <rt/rt.h>
#include <string/mem.h>

#define MILLION 1000000u
#define PRIMES  78498u /* below 10^6 */

/* The argument limit (checked as a u64 by spawn), or a million. */
static uint64_t limit(void)
{
	const char *v = rt_arg("limit");
	uint64_t n = 0;

	for (; v && *v >= '0' && *v <= '9'; v++)
		n = n * 10 + (uint64_t)(*v - '0');
	return v ? n : MILLION;
}

int main(void)
{
	const uint64_t LIMIT = limit();
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
