/* init's parts (user/init): main.c reads the startup description, starts
 * the programs and waits for them; local.c makes the channels between two
 * programs it starts on core 0 itself; control.c serves the shell's
 * requests (rt/initproto.h) and passes its file requests on to the file
 * service. */
#ifndef INIT_INIT_H
#define INIT_INIT_H

#include <rt/chan.h>
#include <rt/initproto.h>
#include <rt/spawn.h>

#include "startup.h"

#define MAX_PROGRAMS 32

enum state { ASKED = INIT_ASKED, RUNNING = INIT_RUNNING, ENDED = INIT_ENDED };

struct program {
	struct startup_entry e;
	unsigned index, core; /* programs[index] of the description; where it runs */
	enum state state;
	bool started;            /* it ran (it may have ended since) */
	bool remote;             /* spawned by a monitor: child names it */
	bool by_shell;           /* the shell asked for it (control.c answers) */
	bool killing;            /* the shell asked to stop it; its monitor's answer awaited */
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

/* control.c: the channel for a program whose entry names `init` (before
 * it is spawned: its grants) and after (its notification). */
enum err control_grants(struct spawn_grant g[2]);
void control_started(struct program *p);
/* The same for the file service (the entry serving `files`), whose
 * channel carries the shell's file requests, passed on by control_poll. */
enum err control_files_grants(struct spawn_grant g[2]);
void control_files_started(struct program *p);
/* Its channel while it runs (to wait on), or NULL. */
struct rt_chan *control_files_chan(void);
/* Requests waiting on the channel: served. */
void control_poll(void);
/* The channel (to wait on), or NULL. */
struct rt_chan *control_chan(void);
/* From the monitor: a MON_CORE for the shell. */
void control_core(const struct urpc_msg *m);
/* A monitor's MON_STAT or MON_STAT_LINK: relayed, if the shell asked. */
void control_stat(const struct urpc_msg *m);
/* A spawn the shell asked for was answered (e: its error). */
void control_spawned(struct program *p, enum err e, const char *why);
/* A program the shell asked to stop has ended. */
void control_killed(struct program *p);
/* The startup is over: tells the shell once. */
void control_ready(void);

#endif
