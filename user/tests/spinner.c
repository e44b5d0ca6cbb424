/* A program that never gives the core back by itself: the timer must take
 * it, and others must still run.  It counts in its frame until stopped. */
#include <rt/rt.h>

int main(void)
{
	volatile uint64_t *count = &rt_frame()->exit_code;
	for (;;)
		(*count)++;
}
