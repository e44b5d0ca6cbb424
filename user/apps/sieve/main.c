/* sieve: the primes below a million by Eratosthenes' sieve, in a byte
 * array on the heap whose pages the runtime maps as the sieve first
 * touches them.  Ends with 0 if it found the 78,498 there are. */
#include <rt/heap.h>
#include <rt/mem.h>
#include <rt/rt.h>
#include <string/mem.h>

#define LIMIT  1000000u
#define PRIMES 78498u /* below 10^6 */

int main(void)
{
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
	rt_printf("sieve: %u primes below %u; %llu heap pages, mapped as they were touched\n", n,
	          LIMIT, (unsigned long long)rt_heap_pages());
	return n == PRIMES ? 0 : 2;
}
