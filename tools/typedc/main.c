/* typedc: the schema compiler and typed-value tool (see cli.h). */
#include "cli.h"

int main(int argc, char **argv)
{
	return typedc_main(argc, argv, stdout, stderr);
}
