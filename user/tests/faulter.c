/* A program that touches memory it does not have: its fault upcall
 * reports it and stops it with 128 + the vector. */
#include <rt/rt.h>

int main(void)
{
	volatile uint64_t *nowhere = (volatile uint64_t *)0x10000000ull;
	return (int)*nowhere;
}
