/* A program that touches more heap than its budget holds: the fault
 * upcall finds no memory for the next page, reports it and ends the
 * program cleanly with 128 + 14 (kernel/sched/rt_test.c checks the code
 * and where the last fault was). */
#include <rt/heap.h>
#include <rt/mem.h>
#include <rt/rt.h>

#define CHUNK (16 * RT_PAGE)

int main(void)
{
	for (uint64_t n = 0;; n++) {
		volatile uint8_t *p = malloc(CHUNK);
		if (!p)
			return 1; /* the region itself is far larger than any budget */
		for (uint64_t i = 0; i < CHUNK; i += RT_PAGE)
			p[i] = (uint8_t)n;
	}
}
