/* init's protocol for the shell (user/init, user/shell; user/README.md
 * "The shell"): messages on the channel init gives a program whose
 * startup entry names the cap `init` (its frame in SLOT_MON_CHAN, init's
 * notification in SLOT_MON_NOTIFY, as a monitor gives init its own; the
 * program's manifest names `monitor`).  Init is the one that knows the
 * programs (it started them) and talks to the monitors, so the shell asks
 * it.  One request at a time; every request ends with one INIT_DONE.
 *
 *   MON_CORES              -> MON_CORE * n (relayed from the monitors,
 *                             rt/monproto.h), INIT_DONE (count n)
 *   MON_STATS              -> MON_STAT * n, each followed by its core's
 *                             MON_STAT_LINKs (relayed from the monitors,
 *                             rt/monproto.h), INIT_DONE (count n)
 *   INIT_PS                -> INIT_PROC * n, INIT_DONE (count n)
 *   INIT_SPAWN, INIT_ARGS* -> INIT_DONE (err, pid, core; why)
 *   INIT_KILL              -> INIT_DONE (err)
 *   INIT_CAPS              -> INIT_CAP * n, INIT_DONE (count n, err)
 *   INIT_PCI               -> (INIT_PCI_FN, then INIT_PCI_BAR * its bars) * n,
 *                             INIT_DONE (count n; UNSUPPORTED no PCI
 *                             service runs): the PCI service's functions
 *                             (rt/pci.h, RT_PCI_LIST), relayed
 *   FS_*                   -> as user/fs/fsproto.h says: passed on to the
 *                             file service under the client's own tag
 *                             (its handles are its own; closed when it
 *                             ends), answered by it (UNSUPPORTED: none
 *                             runs)
 * and, unasked, once: INIT_READY when the programs of the startup
 * description have all started and those that are not drivers or services
 * have ended (the console is quiet from then on).
 *
 * The same channel, for any number of programs at once: a program given
 * the service `control` (rt/service.h; startup `caps = [control]`, or
 * handed on by the desktop) calls it with w0 INIT_CONTROL_CONNECT and a
 * CNode of 2^INIT_CONTROL_BITS slots of its own: its notification (WRITE)
 * in INIT_CONTROL_SLOT_NOTIFY, INIT_CONTROL_SLOT_FRAME empty.  init makes
 * a frame of its own memory (a client cannot take it away under init),
 * lays the channel out (init side 0), puts a copy into the frame slot and
 * signals INIT_CONTROL_BIT_READY; the client maps it and attaches side 1,
 * waking init through the service's notification.  Each channel has its
 * own requests in flight; init lets go of one when the client's
 * notification is gone (its spawner took its memory back).
 */
#ifndef RT_INITPROTO_H
#define RT_INITPROTO_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/urpc.h>

#include "monproto.h"

enum init_type {
	INIT_PS = 0x4900, /* no payload */
	INIT_SPAWN,       /* struct init_spawn, then its arguments in INIT_ARGS */
	INIT_ARGS,        /* argument bytes, in order: URPC_PAYLOAD_MAX per message but the last */
	INIT_KILL,        /* struct init_pid */
	INIT_CAPS,        /* struct init_pid */
	INIT_PCI,         /* no payload */
	INIT_PROC = 0x4980, /* struct init_proc */
	INIT_CAP,           /* struct init_cap */
	INIT_DONE,          /* struct init_done */
	INIT_READY,         /* no payload */
	INIT_PCI_FN,        /* struct init_pci_fn */
	INIT_PCI_BAR,       /* struct init_pci_bar */
};

enum init_state {
	INIT_ASKED,   /* asked a monitor, no answer yet */
	INIT_RUNNING, /* started, not ended */
	INIT_ENDED,   /* ended (code), or never started */
};

/* A program init started: pid is its place in init's table, from 1. */
struct init_proc {
	uint32_t pid;
	uint16_t core;
	uint8_t state;   /* enum init_state */
	uint8_t kind;    /* 0 a program; 1 a driver (device caps); 2 a service (init's channel) */
	uint64_t budget; /* bytes */
	int32_t code;    /* its exit code once ended (-1: killed, or never started) */
	uint32_t reserved;
	char name[32];
};

/* Spawn name on core with a budget of 2^budget_bits; args_size bytes of
 * arguments follow (a lib/typed message of its argument schema, made by
 * rt_args_encode; 0: its defaults). */
struct init_spawn {
	uint32_t core;
	uint32_t budget_bits;
	uint16_t args_size;
	uint16_t reserved;
	uint32_t reserved2;
	char name[MON_NAME];
};

struct init_pid {
	uint32_t pid;
};

/* One slot of a program's root CNode that holds a cap (IDENTIFY). */
struct init_cap {
	uint32_t slot;
	uint16_t type; /* CAP_* */
	uint16_t rights;
	uint64_t base;      /* physical base, port or line (0 where none) */
	uint32_t size_bits; /* the object's size (0 where none) */
	uint32_t reserved;
	char name[24]; /* the well-known slot's or the named cap's name, or "" */
};

/* A PCI function (rt/pci.h's struct rt_pci_function, its BARs apart). */
struct init_pci_fn {
	uint8_t bus, dev, fn, pin; /* pin 1-4: INTA-INTD, 0: none */
	uint16_t vendor, device;
	uint32_t class; /* class << 16 | subclass << 8 | prog-if */
	uint32_t irq;   /* the line a driver would be handed, or RT_PCI_NO_IRQ */
	uint8_t bars;   /* INIT_PCI_BAR messages that follow */
	uint8_t given;  /* handed out to a driver */
	uint16_t reserved;
};

/* One BAR of the function before it. */
struct init_pci_bar {
	uint8_t index; /* BAR 0-5 */
	uint8_t kind;  /* RT_PCI_BAR_IO or RT_PCI_BAR_MEM */
	uint8_t prefetch, wide;
	uint32_t reserved;
	uint64_t base, size;
};

struct init_done {
	int32_t err; /* enum err */
	uint32_t count;
	uint32_t pid; /* INIT_SPAWN: the new program's */
	uint32_t core;
	char why[40]; /* a refusal's reason, or "" */
};

#define INIT_CONTROL_CONNECT     0x4943 /* "IC": w0 of a call on `control` */
#define INIT_CONTROL_BITS        1      /* the caller's CNode: 2 slots */
#define INIT_CONTROL_SLOT_FRAME  0
#define INIT_CONTROL_SLOT_NOTIFY 1
#define INIT_CONTROL_BIT_READY   (1ull << 59) /* the channel is in the CNode */

_Static_assert(sizeof(struct init_proc) == 56, "rt/initproto.h: init_proc");
_Static_assert(sizeof(struct init_spawn) <= URPC_PAYLOAD_MAX, "one message");
_Static_assert(sizeof(struct init_cap) == 48, "rt/initproto.h: init_cap");
_Static_assert(sizeof(struct init_done) == URPC_PAYLOAD_MAX, "one message");
_Static_assert(sizeof(struct init_pci_fn) == 20, "rt/initproto.h: init_pci_fn");
_Static_assert(sizeof(struct init_pci_bar) == 24, "rt/initproto.h: init_pci_bar");

#endif
