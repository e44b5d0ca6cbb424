/* The type of the typed-value tests, built by hand with lib/typed's
 * structures (demo_args.schema says the same in the schema language). */
#ifndef TESTS_HOST_TYPED_DEMO_H
#define TESTS_HOST_TYPED_DEMO_H

#include <typed/typed.h>

extern const struct typed_type demo_type; /* record demo_args */

/* Field indexes of demo_type. */
enum demo_field {
	DEMO_CORES,
	DEMO_MEMORY,
	DEMO_QUIET,
	DEMO_MODE,
	DEMO_TIMEOUT,
	DEMO_NAME,
	DEMO_ROOT,
	DEMO_LOG,
	DEMO_FILES,
	DEMO_FB,
	DEMO_LEVEL,
	DEMO_TAGS,
	DEMO_NFIELDS
};

#endif
