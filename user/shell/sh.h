/* The shell program's parts (user/shell; user/README.md "The shell"):
 * main.c runs lib/shell's line editor and interpreter on the console;
 * console.c is its two channels (the console driver's byte stream and
 * init's requests, rt/initproto.h); libs.c loads the command libraries
 * (user/shlib: library tiles among its boot modules) and lends them what
 * the shell has (struct shlib_host). */
#ifndef SHELL_SH_H
#define SHELL_SH_H

#include <rt/chan.h>
#include <rt/initproto.h>
#include <shell/shell.h>

#include "../shlib/shlib.h"

#define SH_WIDTH 80 /* the serial terminal's columns (it cannot tell us) */

/* lib/shell's output (main.c): its width follows the console's CONS_SIZE. */
extern struct shell_out sh_out;

/* The cycle counter at the steps of a line (main.c), for `timing`: Enter,
 * checked (compiled), its first line of output, done. */
struct sh_times {
	uint64_t enter, checked, first, done;
};
extern struct sh_times sh_last, sh_now;

/* console.c */
/* Attaches both channels: the console (waits until init has given it)
 * and init's (NOENT without it: the system commands then say so). */
enum err con_init(void);
/* lib/shell's output: bytes to the console (buffered; con_flush sends). */
void con_write(void *ctx, const char *s, size_t n);
void con_flush(void);
/* The next typed byte (output flushed first; waits). */
uint8_t con_getc(void);
/* Whether init said the startup is over (rt/initproto.h INIT_READY), or a
 * key was typed; waits for either. */
void con_wait_ready(void);
/* Notes (sh_now.first) when the next new line is written. */
void con_watch_line(void);
/* A request to init (NOENT: no channel to init). */
enum err con_ask(uint16_t type, const void *payload, size_t len);
/* init's next answer to the request in flight into *m.  INVAL cancelled
 * by Ctrl-C (its answers are dropped when they come). */
enum err con_answer(struct urpc_msg *m);
/* After the last con_answer of a request that did not reach INIT_DONE
 * (cancelled, or given up): its remaining answers are dropped. */
void con_abandon(void);
/* Whether a Ctrl-C was typed (the interpreter's poll, shell_set_cancel;
 * does not wait): what came before it is dropped. */
bool con_cancelled(void *ctx);

/* paths.c: a directory's entries for Tab (shell_list_fn). */
uint32_t paths_list(void *ctx, const char *dir, char (*names)[SHELL_ENTRY_MAX], bool *dirs,
                    uint32_t max);

/* libs.c */
/* Every command library among the boot modules, loaded and chained, then
 * lib/shell's generic commands (a refused library is named on the log). */
const struct shell_cmds *libs_load(void);
/* The boot modules that are programs, for spawn's program argument. */
void libs_programs(struct shell *sh);

#endif
