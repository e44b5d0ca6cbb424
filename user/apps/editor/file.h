/* The editor's files, behind one function each until the file service
 * (user/fs) is reachable from the desktop's programs: open reads what was
 * saved under that name in this run, else the boot module of that name;
 * save keeps the bytes in memory (lost at the end of the program). */
#ifndef EDITOR_FILE_H
#define EDITOR_FILE_H

#include <stddef.h>
#include <tessera/err.h>

/* The file's bytes into buf (at most cap: RANGE if longer).  NOENT. */
enum err editor_file_open(const char *name, char *buf, size_t cap, size_t *len);
/* Keeps len bytes as the file name.  NOMEM, RANGE (a name too long). */
enum err editor_file_save(const char *name, const char *buf, size_t len);

#endif
