/* The program bench-exe spawns three ways (bench/exe/exe.mk): tdemo linked
 * in statically, imported from tdemo as a library, and as a static ELF the
 * old way.  Ends with 0 if tdemo's functions answered right. */
#include <stdint.h>

uint64_t tdemo_add(uint64_t a, uint64_t b);
uint64_t tdemo_sum_squares(uint64_t n);

int main(void)
{
	return tdemo_add(tdemo_sum_squares(3), 1) == 6 ? 0 : 1;
}
