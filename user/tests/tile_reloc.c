/* A program whose data holds pointers (to functions, strings, data): the
 * tile carries them as relative relocations, and it runs wherever its
 * spawner placed it.  Ends with 0 (placed where the runtime's spawn places
 * tiles), 100 (placed elsewhere: by the CPU driver), or the number of the
 * check that failed. */
#include <rt/image.h>
#include <rt/rt.h>

static int zero(void)
{
	return 10;
}

static int one(void)
{
	return 11;
}

static int (*const table[])(void) = {zero, one};
static const char *const names[] = {"zero", "one"};
static char text[] = "abc";
char *volatile pointer = text;

int main(void)
{
	volatile int i = 0, j = 1;

	if (table[i]() != 10 || table[j]() != 11)
		return 1;
	if (table[i] != zero || table[j] != one)
		return 2;
	if (names[j][0] != 'o' || names[i][3] != 'o')
		return 3;
	if (pointer != text || pointer[2] != 'c')
		return 4;
	uintptr_t here = (uintptr_t)&main;
	return here >= IMAGE_VA_MIN && here < IMAGE_LIB_VA ? 0 : 100;
}
