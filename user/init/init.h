/* init's parts (user/init): main.c reads the startup description, starts
 * the programs and waits for them; local.c makes the channels between two
 * programs it starts on core 0 itself; control.c serves its control
 * channels (rt/initproto.h: the shells' requests; control.h); files.c
 * passes their file requests on to the file service. */
#ifndef INIT_INIT_H
#define INIT_INIT_H

#include <rt/chan.h>
#include <rt/initproto.h>
#include <rt/service.h>
#include <rt/spawn.h>

#include "startup.h"

#define MAX_PROGRAMS 32

enum state { ASKED = INIT_ASKED, RUNNING = INIT_RUNNING, ENDED = INIT_ENDED };

struct program {
	struct startup_entry e;
	unsigned index, core; /* programs[index] of the description; where it runs */
	enum state state;
	bool started;    /* it ran (it may have ended since) */
	bool remote;     /* spawned by a monitor: child names it */
	unsigned asker;  /* the control client that asked for it (index + 1; 0: startup) */
	unsigned killer; /* ... that asked to stop it; its monitor's answer awaited */
	uint32_t asker_gen, killer_gen;
	int code;                /* its exit code once ended */
	int partner;             /* the program on the other side of its channel (-1) */
	uint64_t child;          /* ... its id (rt/monproto.h) */
	struct spawn_child c;    /* spawned here */
	const uint8_t *args_msg; /* arguments already encoded (the shell's), or NULL */
	size_t args_size;
};

extern struct program programs[MAX_PROGRAMS];
extern unsigned count;
extern struct rt_chan monitor;
extern bool has_monitor, has_notify;

/* main.c: the service name as its callers call it (rt/service.h), while
 * the program serving it runs; false otherwise. */
bool init_service_find(const char *name, struct rt_service *out);
/* main.c: starts p (on core 0 here, else through the monitors). */
void init_start(struct program *p);
/* ... and the end of a program of core 0 (its code, its memory back). */
void init_kill_here(struct program *p, int code);

/* local.c: whether p's channel is init's to make (both sides on core 0);
 * then, once both have started, the frame made and given to both. */
bool local_chan(const struct program *p);
void local_pair(struct program *p);
/* A program with a local channel ended: the frame back once both have. */
void local_gone(struct program *p);

/* control.c: init's control channels (rt/initproto.h), several at once.
 * The startup entry naming `init` gets one before it is spawned (its
 * grants) and is named after (its notification). */
enum err control_grants(struct spawn_grant g[2]);
void control_started(struct program *p);
/* The control service: init receives on ep (made for `control`) and
 * hears of callers in the bits its waits return. */
void control_serve(struct rt_capref ep);
void control_woken(uint64_t bits);
/* The file service (the entry serving `files`): init's channel to it,
 * which carries the clients' file requests, passed on by control_poll. */
enum err control_files_grants(struct spawn_grant g[2]);
void control_files_started(struct program *p);
/* Its channel while it runs (to wait on), or NULL. */
struct rt_chan *control_files_chan(void);
/* New clients, their requests, the file service's answers: served. */
void control_poll(void);
/* The clients' channels (to wait on) into out[0..max); their count. */
unsigned control_chans(struct rt_chan **out, unsigned max);
/* From the monitor: a MON_CORE for the client that asked. */
void control_core(const struct urpc_msg *m);
/* A monitor's MON_STAT or MON_STAT_LINK: relayed to the client that asked. */
void control_stat(const struct urpc_msg *m);
/* A spawn a client asked for was answered (e: its error). */
void control_spawned(struct program *p, enum err e, const char *why);
/* A program a client asked to stop has ended. */
void control_killed(struct program *p);
/* The startup is over: tells every client once (and those that come later). */
void control_ready(void);

#endif
