/* tcfg's entry point; the work is in cli.c. */
#include "cli.h"

int main(int argc, char **argv)
{
	return tcfg_main(argc, argv, stderr);
}
