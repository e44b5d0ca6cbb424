/* init's startup description: the module "startup" (user/init/startup.conf
 * on the normal image), a configuration text (lib/typed/README.md) checked
 * against init's configuration schema, user/init/init_startup.schema (the
 * one its tile carries): the programs to start, in order, each with its
 * core, memory budget, capabilities, command line and channel.
 *
 *   programs = [
 *   	{ name = sieve, core = 0, memory = 2M, caps = [log], args = [--limit, 1000] }
 *   	{ name = pingpong, core = 2, memory = 256K, caps = [log], chan = pp }
 *   ]
 *
 * A cap other than log, init, modules and control is a device cap init offers by its
 * name (rt/device.h: port60, irq1, frameN, mmioN, ecamN, or "devices" for
 * all of them in a CNode); the program's manifest must name it too, and
 * init does not wait for such a program (a driver) to end.  `init` gives a
 * program of core 0 a channel to init (rt/initproto.h: the shell's
 * requests); init does not wait for it (a service) either.  `modules`
 * offers it every boot module (its manifest takes those it names).
 * `control` is init's own service (rt/initproto.h): a CNode to ask init
 * for a control channel of the program's own, as many as it likes, at
 * any time (the desktop hands it on to the shells it starts).
 *
 * `priority` (1..7, default 3) is the dispatcher's priority of a program
 * init spawns itself; `optional = true` makes a start refused for want
 * of memory a note, not a failure (the desktop on a small machine).
 *
 * A name a program of the description serves (serves = [input]) is a
 * service (rt/service.h): init makes an endpoint for it, gives the server
 * the endpoint to receive on and every program naming it in caps a CNode
 * to call it with (the endpoint to send on, the server's notification to
 * wake it).
 *
 * `config = MODULE` names a boot module holding the program's
 * configuration, a text checked against the config schema in its own tile
 * (startup_config) before it starts and passed to it encoded (rt/args.h:
 * RT_CONFIG); a bad one, or one for a program whose tile has no config
 * schema, and it is not started (counted as failed).
 *
 * A core that is not online stands for another, chosen by the monitors; a
 * chan joins exactly two programs (the first listed is its side 0); the
 * command line is checked against the program's own argument schema by
 * whoever spawns it, before it starts.  Freestanding: init and the host
 * tests (tests/host/init) read it with the same code.
 */
#ifndef INIT_STARTUP_H
#define INIT_STARTUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tessera/bootinfo.h>
#include <tessera/err.h>
#include <typed/typed.h>

#define STARTUP_CHAN_NAME 16u
#define STARTUP_ARGS      32u
#define STARTUP_ARENA     (64u << 10) /* arena bytes enough for any description it accepts */
#define STARTUP_DEVS      8u
#define STARTUP_DEV_NAME  24u /* rt/device.h's RT_DEVICE_NAME */
#define STARTUP_SERVICES  4u  /* services one program serves, and uses */
#define STARTUP_SERVICE   16u /* a service's name, with its NUL */

struct startup_entry {
	char name[BOOTINFO_NAME];
	unsigned core;
	unsigned budget_bits;         /* log2 of its budget in bytes, rounded up */
	bool log;                     /* caps = [log]: it gets the log */
	char chan[STARTUP_CHAN_NAME]; /* "": none */
	unsigned argc;
	const char *argv[STARTUP_ARGS]; /* into the arena */
	bool system;                    /* caps = [init]: a channel to init (a service) */
	bool control;                   /* caps = [control]: init's control service */
	bool modules;                   /* caps = [modules]: every boot module offered */
	unsigned ndevs;                 /* device caps offered by name (a driver) */
	char devs[STARTUP_DEVS][STARTUP_DEV_NAME];
	unsigned nserves, nuses; /* services it provides, services it calls */
	char serves[STARTUP_SERVICES][STARTUP_SERVICE];
	char uses[STARTUP_SERVICES][STARTUP_SERVICE];
	unsigned priority;          /* its dispatcher's, 1..7 (spawn on core 0) */
	bool optional;              /* out of memory: said, not counted as a failure */
	char config[BOOTINFO_NAME]; /* the module of its configuration ("": none) */
};

/* Reads the description text (len bytes) into e[0..*n) (at most max;
 * strings in arena a).  Every problem goes to d (lib/typed's, with its
 * line and column: "programs[1].core: 99 is out of range 0..63", and
 * "programs[0].caps[1]: init gives no capability 'x' (it gives: log, init,
 * modules, control, devices, portN, irqN, frameN, mmioN, ecamN, and the services programs serve)");
 * ERR_CORRUPT then, and nothing is in e.  ERR_NOMEM: a is too small. */
enum err startup_read(const char *text, size_t len, struct typed_arena *a, struct startup_entry *e,
                      unsigned max, unsigned *n, struct typed_diag *d);

/* A program's configuration: text (len bytes) checked against its config
 * schema t (from its tile: rt_config_type) and encoded into msg (*size:
 * its room, then the message's length; strings in a).  Every problem goes
 * to d with its line and column ("largest: 9 is out of range 0..8");
 * ERR_CORRUPT then; NOSPC more than *size bytes (reported too); NOMEM. */
enum err startup_config(const struct typed_type *t, const char *text, size_t len,
                        struct typed_arena *a, uint8_t *msg, size_t *size, struct typed_diag *d);

#endif
