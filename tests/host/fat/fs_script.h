/* The scripted sequence of file-system operations the lib/fat file system
 * tests run (tests/host/fat/test_fs*.c), and the content rules shared with
 * the expected fixture (fs_expected.txt). */
#ifndef TESTS_HOST_FAT_FS_SCRIPT_H
#define TESTS_HOST_FAT_FS_SCRIPT_H

#include <fat/fs.h>
#include <stddef.h>
#include <stdint.h>

/* Byte i of the pattern every "pat" piece of a file is made of. */
static inline uint8_t fs_pattern(uint64_t i)
{
	return (uint8_t)('A' + (i * 7 + i / 251) % 26);
}

/* Runs the first `upto` steps of the script (all: fs_script_steps()) on a
 * mounted volume, stopping at the first error; *step receives the number
 * of the step that failed (or the count run).  Returns the error (ERR_OK
 * when every step succeeded). */
enum err fs_script_run(struct fs_vol *v, int upto, int *step);

/* Steps in the script. */
int fs_script_steps(void);

#endif
