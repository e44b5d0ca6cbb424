/* Fuzz target: the shell's command-library loader (lib/shell/cmdlib.c,
 * docs/tile.md §16), which reads boot modules' bytes: shell_cmdlib_load
 * (lib/tile's checks, the types through lib/typed, then every signature).
 * A refusal must say why; an accepted library's signatures must be
 * whole: a name, a record of parameters with one kind per field, and the
 * types its input and result kinds need.  Seeds: corpus/gen-* are the
 * build's libsys and libfiles tiles (build/CONFIG/user/modules), copied by
 * hand.
 */
#include <shell/shell.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum err none(struct shell_call *c)
{
	(void)c;
	return ERR_OK;
}

static void check_sig(const struct shell_sig *s)
{
	if (!s->name[0] || (s->params && s->params->kind != TYPED_RECORD) ||
	    (s->in == SHELL_IO_TYPE) != (s->in_type != NULL) ||
	    (s->out == SHELL_IO_TYPE) != (s->out_type != NULL) || s->fn != none) {
		fprintf(stderr, "fuzz_cmdlib: %s: an accepted signature is not whole\n", s->name);
		abort();
	}
	for (uint32_t k = 0; s->arg_kinds && k < s->params->rec.count; k++)
		if (s->arg_kinds[k] > SHELL_ARG_PROGRAM)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t mem[1u << 20];
	struct typed_arena a;
	struct shell_cmds cmds;
	char why[256] = "";
	uint8_t *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	typed_arena_init(&a, mem, sizeof mem);
	enum err e =
	        shell_cmdlib_load(copy, size, "fuzz", 0, none, NULL, &a, &cmds, why, sizeof why);
	if (e && !why[0]) {
		fprintf(stderr, "fuzz_cmdlib: refused (%d) without a reason\n", e);
		abort();
	}
	for (uint32_t i = 0; !e && i < cmds.count; i++)
		check_sig(&cmds.sigs[i]);
	free(copy);
	return 0;
}
