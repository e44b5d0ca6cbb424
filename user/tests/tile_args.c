/* A program with an argument schema (tile_args.manifest): count, a
 * required u64; name, text with a default; verbose, a bool with a default.
 * Its spawner (tile_spawn.c) gives count=3 and nothing else: spawn checked
 * the value and added the defaults.  Ends with 0, or the number of the
 * check that failed. */
#include <rt/image.h>
#include <rt/rt.h>
#include <string/mem.h>

int main(void)
{
	const char *count = rt_arg("count"), *name = rt_arg("name"), *verbose = rt_arg("verbose");

	if (!count || strcmp(count, "3") != 0)
		return 1;
	if (!name || strcmp(name, "a tile") != 0 || !verbose || strcmp(verbose, "false") != 0)
		return 2;
	if (rt_arg("nothing") || rt_args()->nargs != 3)
		return 3;
	return 0;
}
