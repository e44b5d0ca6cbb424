/* A program with an argument schema (tile_args.schema, named by its
 * manifest): it reads what spawn checked and encoded as struct tile_args
 * (RT_ARGS), not strings.  Its spawner (tile_spawn.c) gives --cores N and
 * sometimes --out log; the rest are defaults.  Ends with N, or 100 + the
 * number of the check that failed. */
#include <rt/args.h>
#include <rt/rt.h>
#include <string/mem.h>
#include <tile_args.h>

int main(void)
{
	struct tile_args args;

	RT_ARGS(tile_args, &args);
	if (args.cores < 1 || args.cores > 64)
		return 101;
	if (strcmp(args.name, "a tile") != 0 || args.verbose)
		return 102;
	if (args.has_out && args.out.slot != SLOT_LOG)
		return 103;
	if (rt_args()->args_size < TYPED_ID_BYTES + 1)
		return 104;
	return (int)args.cores;
}
