/* The editor's files: a path on the boot disk, read and written through
 * the file service (over the editor's own channel to init, wctl.h).
 * While no file service runs, a path under /boot/modules/ still opens,
 * read-only, from the boot module of that name. */
#ifndef EDITOR_FILE_H
#define EDITOR_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <tessera/err.h>

/* The file's bytes into buf (at most cap: RANGE if longer); *module set
 * when they came from a boot module.  NOENT, UNSUPPORTED no file service
 * (and no such module), the file service's errors. */
enum err editor_file_open(const char *path, char *buf, size_t cap, size_t *len, bool *module);
/* Replaces the file's bytes with len bytes (created if missing).
 * UNSUPPORTED no file service is running, the file service's errors. */
enum err editor_file_save(const char *path, const char *buf, size_t len);
/* What an error of these means to a user. */
const char *editor_file_why(enum err e);

#endif
