/* Cross-core message types, declared once.
 *
 * Each message is a payload struct of fixed-width fields (at most 56 bytes,
 * no implicit padding) and one row of MSG_TABLE.  The table generates the
 * type numbers, the size checks, the names and, per message NAME/name,
 *
 *   enum err msg_send_name(struct urpc_tx *tx, const struct payload *m);
 *   enum err msg_decode_name(const struct urpc_msg *in, struct payload *out);
 *
 * Decode checks the type (ERR_TYPE) and the exact length (ERR_CORRUPT)
 * before it copies anything, so callers never touch unchecked bytes and
 * never pack bytes by hand.  Type numbers are wire values: append new rows
 * at the end, never reorder.
 */
#ifndef TESSERA_MSG_H
#define TESSERA_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/urpc.h>

/* A core reports that its CPU driver is up. */
struct msg_boot_report {
	uint64_t free_bytes; /* memory this core owns and has free */
	uint32_t core;       /* core index, 0 = BSP */
	uint32_t apic_id;    /* local APIC (or x2APIC) id */
	uint32_t status;     /* enum err: the first failure of its bring-up */
	uint32_t failed;     /* MSG_BOOT_FAILED_*: the parts that did not start */
};

/* A core is online only when every part started (kernel/README.md). */
#define MSG_BOOT_FAILED_CPU  1u /* the CPU driver: pool, channels, interrupts */
#define MSG_BOOT_FAILED_MM   2u /* memory management */
#define MSG_BOOT_FAILED_CAPS 4u /* the capability space */
_Static_assert(sizeof(struct msg_boot_report) == 24, "msg_boot_report layout");

/* Latency probe; PONG echoes PING's fields unchanged. */
struct msg_ping {
	uint64_t seq; /* probe number */
	uint64_t tsc; /* sender's timestamp when it sent the PING */
};
_Static_assert(sizeof(struct msg_ping) == 16, "msg_ping layout");

/* Channel test traffic; see lib/urpc/test_seq.h for fill and check. */
struct msg_test_seq {
	uint64_t seq;       /* per-channel message number, from 0 */
	uint32_t sender;    /* sending core */
	uint32_t checksum;  /* over seq, sender and filler */
	uint8_t filler[40]; /* derived from sender and seq */
};
_Static_assert(sizeof(struct msg_test_seq) == 56, "msg_test_seq fills the payload");
_Static_assert(offsetof(struct msg_test_seq, filler) == 16, "msg_test_seq layout");

/* Ask a peer (usually the memory-owning core) for memory. */
struct msg_mem_request {
	uint64_t bytes;     /* wanted, rounded up to frames by the donor */
	uint32_t requester; /* core to donate to */
	uint32_t reserved;
};
_Static_assert(sizeof(struct msg_mem_request) == 16, "msg_mem_request layout");

/* Hand physically contiguous 4 KiB frames to the receiving core. */
struct msg_mem_donate {
	uint64_t base;     /* physical address, 4 KiB aligned */
	uint64_t frames;   /* count of 4 KiB frames; 0: the end of an answer */
	uint32_t donor;    /* giving core */
	uint32_t reserved; /* flags (kernel/mm/memx.h) */
	uint64_t serial;   /* blocks: 1, 2, ... per sender and receiver; a
	                    * block whose serial is not above the last one
	                    * taken from that sender came twice or late */
};
_Static_assert(sizeof(struct msg_mem_donate) == 32, "msg_mem_donate layout");

/* Invalidate a range of an address space on the receiving core. */
struct msg_tlb_shootdown {
	uint64_t asid;      /* address space id */
	uint64_t start;     /* virtual address, page aligned */
	uint64_t length;    /* bytes */
	uint32_t request;   /* echoed in SHOOTDOWN_ACK */
	uint32_t initiator; /* core waiting for the acks */
};
_Static_assert(sizeof(struct msg_tlb_shootdown) == 32, "msg_tlb_shootdown layout");

/* The receiving core has invalidated the range of request `request`. */
struct msg_shootdown_ack {
	uint32_t request;
	uint32_t core; /* acknowledging core */
};
_Static_assert(sizeof(struct msg_shootdown_ack) == 8, "msg_shootdown_ack layout");

/* A capability moving to the receiving core, by value (the fields of
 * struct cap in tessera/caps.h that mean something on every core; never
 * the kernel's own state).  The receiver makes the cap again in its own
 * space after checking it by its own rules, and answers CAP_TRANSFER_ACK;
 * the sender deletes its copy only on an ack that says installed, so the
 * cap is moved, never duplicated (kernel/capboot/capboot.h). */
struct msg_cap_transfer {
	uint64_t base;     /* memory: physical base; I/O ports: first port; IRQ: line */
	uint64_t count;    /* I/O ports: number of ports; endpoints: badge; else 0 */
	uint32_t rights;   /* CAP_RIGHT_* */
	uint32_t id;       /* the sender's name for the cap, echoed in the ack */
	uint16_t flags;    /* CAP_FLAG_* (the user-visible byte only) */
	uint8_t type;      /* enum cap_type */
	uint8_t size_bits; /* memory: log2 of the object's size in bytes */
	uint32_t reserved;
};
_Static_assert(sizeof(struct msg_cap_transfer) == 32, "msg_cap_transfer layout");
_Static_assert(offsetof(struct msg_cap_transfer, flags) == 24, "msg_cap_transfer layout");

/* The answer to a CAP_TRANSFER, echoing what it names. */
struct msg_cap_transfer_ack {
	uint64_t base;     /* the transfer's */
	uint32_t id;       /* the transfer's */
	uint32_t status;   /* enum err: ERR_OK installed (the sender deletes its
	                    * copy); else refused (the sender keeps it) */
	uint32_t core;     /* answering core */
	uint8_t type;      /* the transfer's */
	uint8_t size_bits; /* the transfer's */
	uint16_t reserved;
};
_Static_assert(sizeof(struct msg_cap_transfer_ack) == 24, "msg_cap_transfer_ack layout");

/* A piece of a core's log output for the core that owns the console: a
 * line is sent as consecutive pieces, the last one with last = 1. */
struct msg_log_line {
	uint8_t len;  /* bytes of text used, 0..54 */
	uint8_t last; /* 1 on a line's final piece */
	char text[54];
};
_Static_assert(sizeof(struct msg_log_line) == 56, "msg_log_line fills the payload");

/* A test case's result on the sending core (the receiver knows the case
 * table and the sender's core from the channel). */
struct msg_test_result {
	uint32_t index;  /* case index in the test kernel's table */
	uint32_t status; /* enum msg_test_status */
	char reason[48]; /* NUL-terminated, may be cut short */
};
_Static_assert(sizeof(struct msg_test_result) == 56, "msg_test_result fills the payload");

enum msg_test_status { MSG_TEST_PASS = 0, MSG_TEST_FAIL = 1, MSG_TEST_SKIP = 2 };

/* Coordination between the boot core and another core's CPU driver. */
struct msg_core_ctrl {
	uint32_t op;   /* enum msg_ctrl_op */
	uint32_t arg;  /* e.g. a test case index */
	uint64_t mask; /* e.g. the online cores, bit per core */
};
_Static_assert(sizeof(struct msg_core_ctrl) == 16, "msg_core_ctrl layout");

/* Notifications only; work to run is a CORE_RUN (2 and 4 were its jobs). */
enum msg_ctrl_op {
	MSG_CTRL_ONLINE = 1,  /* mask: the cores that reported in */
	MSG_CTRL_BARRIER = 3, /* a test's barrier: arrived (to core 0), go on (from it) */
};

/* A job for the receiving core, run at its top level: after the work in
 * progress there, never inside one of its waits (kernel/msgloop.h). */
struct msg_core_run {
	uint32_t job; /* enum msg_run_job */
	uint32_t arg; /* TEST: the test case index */
};
_Static_assert(sizeof(struct msg_core_run) == 8, "msg_core_run layout");

enum msg_run_job {
	MSG_RUN_TEST = 1,  /* run test case arg, reply TEST_RESULT */
	MSG_RUN_BENCH = 2, /* serve the benchmark's traffic from the sender */
};

/* Address spaces shared between cores.  The owner of a space asks another
 * core to run it (LOAD: the receiver builds a mirror, its own top-level
 * table with its own kernel half and the owner's lower-half top-level
 * entry `entry` at `index`, and loads it); the core answers LOADED (status:
 * enum err).  UNLOAD / UNLOADED end it.  So the owner knows on which cores
 * the space is active and sends TLB_SHOOTDOWN there (kernel/mm/vm.h). */
struct msg_vm_space {
	uint64_t id;     /* the space (vm_space.id) */
	uint64_t entry;  /* LOAD: the top-level entry, as the hardware reads it */
	uint32_t index;  /* LOAD: its index in the top-level table */
	uint32_t op;     /* enum msg_vm_op */
	uint32_t core;   /* sending core */
	uint32_t status; /* LOADED, UNLOADED: enum err */
};
_Static_assert(sizeof(struct msg_vm_space) == 32, "msg_vm_space layout");

enum msg_vm_op { MSG_VM_LOAD = 1, MSG_VM_LOADED = 2, MSG_VM_UNLOAD = 3, MSG_VM_UNLOADED = 4 };

/* A core that is not online gives up its untyped region (the memory the
 * boot core holds caps for): CORE_RETIRE from the boot core asks;
 * CORE_RETIRED answers after the core has unmapped the region (status
 * ERR_OK), or says why it kept it.  Only then does the boot core map that
 * memory, so two cores never both reach it (kernel/README.md). */
struct msg_core_retire {
	uint64_t bytes;  /* RETIRED: bytes given up */
	uint32_t core;   /* the core retiring */
	uint32_t status; /* RETIRED: enum err */
};
_Static_assert(sizeof(struct msg_core_retire) == 16, "msg_core_retire layout");

/* A notification signalled on another core than its own: the owner ORs
 * the bits into the object (if it is a live notification object there)
 * and wakes its waiter (tessera/caps.h, NOTIFY_SIGNAL). */
struct msg_notify {
	uint64_t object; /* physical address of the notification object */
	uint64_t bits;
};
_Static_assert(sizeof(struct msg_notify) == 16, "msg_notify layout");

/* MON_INTRODUCE (tessera/caps.h): what one core's monitor tells another's,
 * by value: a frame of the sender's memory (frame_bits 0: none) and a
 * notification object of the sender's. */
struct msg_mon_hello {
	uint64_t frame;  /* physical base */
	uint64_t notify; /* physical address of the notification object */
	uint32_t frame_bits;
	uint32_t reserved;
};
_Static_assert(sizeof(struct msg_mon_hello) == 24, "msg_mon_hello layout");

/* MON_SEND (tessera/caps.h): a cap one core's monitor sends another's, by
 * value, vouched for by the sending CPU driver. */
struct msg_mon_cap {
	uint64_t tag; /* the monitors' own name for it */
	uint64_t base;
	uint32_t rights;
	uint8_t type; /* CAP_FRAME or CAP_NOTIFY */
	uint8_t size_bits;
	uint16_t reserved;
};
_Static_assert(sizeof(struct msg_mon_cap) == 24, "msg_mon_cap layout");

/* A frame of the receiver's memory that the sender made a cap for by value
 * (MON_RECV, MON_ACCEPT) has lost that cap: the sender no longer maps it. */
struct msg_mon_release {
	uint64_t base;
};
_Static_assert(sizeof(struct msg_mon_release) == 8, "msg_mon_release layout");

/* Test kernel only: a value one core's test case hands another's. */
struct msg_test_value {
	uint64_t value;
	uint64_t tag;
};
_Static_assert(sizeof(struct msg_test_value) == 16, "msg_test_value layout");

/* X(NAME, name, payload type): one row per message; append only. */
#define MSG_TABLE(X)                                                       \
	X(BOOT_REPORT, boot_report, struct msg_boot_report)                \
	X(PING, ping, struct msg_ping)                                     \
	X(PONG, pong, struct msg_ping)                                     \
	X(TEST_SEQ, test_seq, struct msg_test_seq)                         \
	X(MEM_REQUEST, mem_request, struct msg_mem_request)                \
	X(MEM_DONATE, mem_donate, struct msg_mem_donate)                   \
	X(TLB_SHOOTDOWN, tlb_shootdown, struct msg_tlb_shootdown)          \
	X(SHOOTDOWN_ACK, shootdown_ack, struct msg_shootdown_ack)          \
	X(CAP_TRANSFER, cap_transfer, struct msg_cap_transfer)             \
	X(LOG_LINE, log_line, struct msg_log_line)                         \
	X(TEST_RESULT, test_result, struct msg_test_result)                \
	X(CORE_CTRL, core_ctrl, struct msg_core_ctrl)                      \
	X(VM_SPACE, vm_space, struct msg_vm_space)                         \
	X(CAP_TRANSFER_ACK, cap_transfer_ack, struct msg_cap_transfer_ack) \
	X(CORE_RUN, core_run, struct msg_core_run)                         \
	X(CORE_RETIRE, core_retire, struct msg_core_retire)                \
	X(CORE_RETIRED, core_retired, struct msg_core_retire)              \
	X(NOTIFY, notify, struct msg_notify)                               \
	X(TEST_VALUE, test_value, struct msg_test_value)                   \
	X(MON_HELLO, mon_hello, struct msg_mon_hello)                      \
	X(MON_CAP, mon_cap, struct msg_mon_cap)                            \
	X(MON_RELEASE, mon_release, struct msg_mon_release)

/* Message type numbers; 0 is never sent. */
#define MSG_ENUM(NAME, name, ptype) MSG_##NAME,
enum msg_type { MSG_NONE = 0, MSG_TABLE(MSG_ENUM) MSG_TYPE_COUNT };
#undef MSG_ENUM
_Static_assert(MSG_TYPE_COUNT <= 0x10000, "message types fit the 16-bit header field");

#define MSG_FITS(NAME, name, ptype) \
	_Static_assert(sizeof(ptype) <= URPC_PAYLOAD_MAX, "MSG_" #NAME " fits one URPC line");
MSG_TABLE(MSG_FITS)
#undef MSG_FITS

/* Typed senders and decoders, one pair per row. */
#define MSG_HELPERS(NAME, name, ptype)                                                  \
	static inline enum err msg_send_##name(struct urpc_tx *tx, const ptype *m)      \
	{                                                                               \
		return urpc_send(tx, MSG_##NAME, m, sizeof *m);                         \
	}                                                                               \
	static inline enum err msg_decode_##name(const struct urpc_msg *in, ptype *out) \
	{                                                                               \
		if (in->type != MSG_##NAME)                                             \
			return ERR_TYPE;                                                \
		if (in->len != sizeof *out)                                             \
			return ERR_CORRUPT;                                             \
		__builtin_memcpy(out, in->payload, sizeof *out);                        \
		return ERR_OK;                                                          \
	}
MSG_TABLE(MSG_HELPERS)
#undef MSG_HELPERS

/* The payload size of a message type; 0 for an unknown type. */
static inline uint8_t msg_payload_size(uint16_t type)
{
	switch (type) {
#define MSG_SIZE(NAME, name, ptype) \
	case MSG_##NAME: return sizeof(ptype);
		MSG_TABLE(MSG_SIZE)
#undef MSG_SIZE
	}
	return 0;
}

/* The name of a message type ("BOOT_REPORT"); never NULL. */
static inline const char *msg_type_name(uint16_t type)
{
	switch (type) {
#define MSG_NAME(NAME, name, ptype) \
	case MSG_##NAME: return #NAME;
		MSG_TABLE(MSG_NAME)
#undef MSG_NAME
	}
	return "UNKNOWN";
}

/* ERR_OK when a received message has a known type and that type's length;
 * a dispatcher checks this once, then switches on in->type. */
static inline enum err msg_check(const struct urpc_msg *in)
{
	uint8_t size = msg_payload_size(in->type);
	if (size == 0)
		return ERR_TYPE;
	return in->len == size ? ERR_OK : ERR_CORRUPT;
}

#endif
