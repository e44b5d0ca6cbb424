/* shell: the typed shell (lib/shell) on the serial console (user/README.md,
 * "The shell").  Started by init with a channel to the console driver and
 * one to init; its commands come from the command libraries among its boot
 * modules (libs.c: libsys, libfiles) and lib/shell's generic one.  Each
 * line is read with lib/shell's line editor (history, Tab completion of
 * names and paths), compiled (checked whole, errors with a caret) and run;
 * a Ctrl-C while a command waits, or while a long computation runs (the
 * interpreter polls the console), cancels it.  It waits for init's word
 * that the startup is over (or a key) before its first prompt, so the
 * prompt is the console's last line after boot. */
#include <rt/heap.h>
#include <rt/rt.h>

#include "sh.h"

#define SHELL_MEM (1u << 20)
#define PROMPT    "tessera> "

struct sh_times sh_last, sh_now;
struct shell_out sh_out = {con_write, NULL, SH_WIDTH};
static struct shell_edit ed;
static char msg[2048];

/* Compiles and runs one line; errors with the line and a caret. */
static void run(struct shell *sh, const struct shell_out *out, const char *line, size_t len)
{
	struct shell_plan *plan;
	struct shell_error err;
	enum err e;

	sh_last = sh_now;
	sh_now = (struct sh_times){.enter = rt_cycles()};
	con_flush(); /* the editor's new line before anything the command logs: */
	rt_yield();  /* the driver (on this core) writes it first */
	e = shell_compile(sh, line, len, &plan, &err);
	sh_now.checked = rt_cycles();
	con_watch_line();
	if (!e)
		e = shell_exec(sh, plan, out, &err);
	if (e) {
		size_t n = shell_error_show(line, len, &err, NULL, msg, sizeof msg);
		con_write(NULL, msg, n < sizeof msg ? n : sizeof msg - 1);
	}
	sh_now.done = rt_cycles();
	con_flush();
}

int main(void)
{
	const struct shell_out *out = &sh_out;
	void *mem = malloc(SHELL_MEM);
	struct shell *sh = mem ? shell_new(mem, SHELL_MEM, libs_load()) : NULL;
	enum err e = con_init();

	if (e || !sh) {
		rt_printf("shell: not started: %s\n", e ? err_str(e) : "no memory");
		return 1;
	}
	libs_programs(sh);
	shell_set_cancel(sh, con_cancelled, NULL);
	shell_set_paths(sh, paths_list, NULL);
	con_wait_ready();
	con_write(NULL, "\ntessera shell: help lists the commands, Tab completes.\n", 56);
	shell_edit_init(&ed, out, sh, PROMPT);
	shell_edit_start(&ed);
	for (;;) {
		enum shell_edit_event ev = shell_edit_feed(&ed, con_getc());
		if (ev == SHELL_EDIT_LINE)
			run(sh, out, ed.line, ed.len);
		if (ev != SHELL_EDIT_NONE)
			shell_edit_start(&ed);
	}
}
