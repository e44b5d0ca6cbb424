/* A program linked dynamically against tdemo (user/tests/tdemo.c): its
 * imports were resolved and type-checked when it was spawned.  Checks the
 * library's code and read-only table, and that its data is this program's
 * own (the counter starts at 7 in every program).  Ends with 0, or the
 * number of the check that failed. */
#include <rt/rt.h>

uint64_t tdemo_add(uint64_t a, uint64_t b);
uint64_t tdemo_bump(void);
uint64_t tdemo_sum_squares(uint64_t n);
extern const uint64_t tdemo_squares[1024];
extern uint64_t tdemo_counter;

int main(void)
{
	if (tdemo_add(2, 40) != 42)
		return 1;
	if (tdemo_counter != 7 || tdemo_bump() != 8 || tdemo_counter != 8)
		return 2;
	/* sum of i^2 for i < 1024: (n-1) n (2n-1) / 6 */
	if (tdemo_sum_squares(1024) != 1023ull * 1024 * 2047 / 6 || tdemo_squares[1000] != 1000000)
		return 3;
	if ((uint64_t)(uintptr_t)&tdemo_add == (uint64_t)(uintptr_t)&main)
		return 4;
	rt_printf("tile_dyn: tdemo at %p, its counter at %p\n", (void *)&tdemo_add,
	          (void *)&tdemo_counter);
	return 0;
}
