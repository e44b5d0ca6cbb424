/* init: the first program, started on core 0 by its monitor with a share
 * of the core's memory (its budget), the log and the boot modules.  It
 * reads the startup description (startup.h), starts each program listed
 * on core 0, each with a budget carved from its own, says
 * `tessera: user space up: N programs on M cores`, then waits for the
 * programs to end and takes back their memory.  It ends with the number
 * of programs that did not start or did not end with 0. */
#include <rt/heap.h>
#include <rt/module.h>
#include <rt/rt.h>
#include <rt/spawn.h>
#include <rt/thread.h>
#include <string/mem.h>

#include "startup.h"

#define MAX_PROGRAMS 32

struct program {
	struct startup_entry e;
	struct spawn_child c;
	bool running;
};

static struct program programs[MAX_PROGRAMS];
static unsigned count, failures;

/* Starts the program of line `line`; a failure is reported and counted. */
static void start(const struct startup_entry *e, unsigned line)
{
	const struct bootinfo_module *m = rt_module(e->name);
	struct program *p = &programs[count];
	struct rt_mapping map;
	enum err err = ERR_OK;

	if (e->core != 0) {
		rt_printf("init: startup:%u: %s on core %u: only core 0 is served yet (the "
		          "monitors will start programs on other cores)\n",
		          line, e->name, e->core);
	} else if (!m) {
		rt_printf("init: startup:%u: %s: no such module\n", line, e->name);
	} else if (count == MAX_PROGRAMS) {
		rt_printf("init: startup:%u: %s: more than %u programs\n", line, e->name,
		          MAX_PROGRAMS);
	} else if ((err = rt_module_map(m, &map)) == ERR_OK) {
		struct spawn_args a = {.name = e->name,
		                       .image = map.data,
		                       .size = map.size,
		                       .budget_bits = e->budget_bits,
		                       .log = true};
		err = spawn_start(&a, &p->c);
		rt_module_unmap(&map);
	}
	if (e->core != 0 || !m || count == MAX_PROGRAMS || err) {
		if (err)
			rt_printf("init: startup:%u: %s not started: %s\n", line, e->name,
			          err_str(err));
		failures++;
		return;
	}
	p->e = *e;
	p->running = true;
	count++;
	rt_printf("init: %s started on core 0 (%llu KiB)\n", e->name,
	          (unsigned long long)(1ull << e->budget_bits >> 10));
}

/* Every line of the description. */
static void read_startup(const char *text, size_t size)
{
	unsigned line = 0;

	for (size_t at = 0; at < size;) {
		size_t n = 0;
		while (at + n < size && text[at + n] != '\n')
			n++;
		struct startup_entry e;
		char why[96];
		line++;
		enum err err = startup_line(text + at, n, &e, why, sizeof why);
		if (err == ERR_OK)
			start(&e, line);
		else if (err != ERR_NOENT) {
			rt_printf("init: startup:%u: %s\n", line, why);
			failures++;
		}
		at += n + 1;
	}
}

/* Until every program has ended: each one's code, its memory taken back. */
static void reap(void)
{
	for (unsigned left = count; left;) {
		for (unsigned i = 0; i < count; i++) {
			struct program *p = &programs[i];
			if (!p->running || !spawn_ended(&p->c))
				continue;
			int code = spawn_code(&p->c);
			enum err e = spawn_kill(&p->c);
			rt_printf("init: %s ended with %d%s%s\n", p->e.name, code,
			          e ? "; its memory is not back: " : "", e ? err_str(e) : "");
			failures += code != 0;
			p->running = false;
			left--;
		}
		if (left)
			rt_thread_yield();
	}
}

int main(void)
{
	const struct bootinfo_module *m = rt_module("startup");
	struct rt_mapping map;

	if (!m) {
		rt_printf("init: no startup description (boot module \"startup\")\n");
		return 1;
	}
	enum err e = rt_module_map(m, &map);
	if (e) {
		rt_printf("init: the startup description cannot be read: %s\n", err_str(e));
		return 1;
	}
	read_startup(map.data, map.size);
	rt_module_unmap(&map);
	rt_printf("tessera: user space up: %u programs on %u cores\n", count, count ? 1u : 0u);
	reap();
	rt_printf("init: every program has ended; %u failed\n", failures);
	return failures > 127 ? 127 : (int)failures;
}
