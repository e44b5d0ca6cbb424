/* tools/harness: starts QEMU for `make run` / `make debug`, runs the host
 * tests and the boot matrix for `make test`, and lists the test cases the
 * kernel's sources declare.  See harness.h. */
#include <string.h>

#include "harness.h"
#include "ktests.h"

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return harness_run(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "test") == 0)
		return harness_test(argc - 1, argv + 1, stdout);
	if (argc >= 2 && strcmp(argv[1], "ktests") == 0)
		return harness_ktests(argc - 1, argv + 1);
	fprintf(stderr, "usage: harness run --image IMG [options]   (boot an image)\n"
	                "       harness test --build DIR [--matrix FILE] [options] [BINARY...]\n"
	                "       harness ktests --out LIST SOURCE...   (the declared test cases)\n"
	                "see tools/harness/harness.h for the options\n");
	return 2;
}
