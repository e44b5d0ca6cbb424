/* The trivial program bench_spawn spawns: it ends at once with a code
 * its spawner checks. */
#include <rt/rt.h>

#include "benchpage.h"

int main(void)
{
	return BENCH_NOP_CODE;
}
