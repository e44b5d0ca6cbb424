/* The test kernel's fault injection in the channel layer and at subsystem
 * start; the rules and what they do are in fault.h.  Each core parses the
 * command line itself, the first time a hook runs, and applies only the
 * rules whose sender it is. */
#include "fault.h"

#include <string/mem.h>
#include <tessera/msg.h>
#include <tessera/urpc.h>

#include "chan.h"
#include "cmdline.h"
#include "core.h"
#include "ktime.h"
#include "log.h"
#include "tests/fault_inject.h"

#define RULES_MAX 16
#define HELD_MAX  32
#define RULE_TEXT 512
#define NTH_ANY   0

enum action { ACT_DROP, ACT_DUP, ACT_DELAY };

struct rule {
	uint16_t type;
	uint8_t action; /* enum action */
	uint8_t from, to;
	uint32_t nth;  /* 1-based; NTH_ANY: every one */
	uint32_t seen; /* messages of the type sent on the channel so far */
	uint64_t ms;
};

/* A message held back (delay) or queued again (dup). */
struct held {
	bool used;
	uint8_t to;
	uint16_t type;
	uint8_t len;
	uint64_t due; /* ktime deadline */
	uint8_t payload[URPC_PAYLOAD_MAX];
};

static struct rule rules[RULES_MAX]; /* this core's */
static unsigned nrules;
static struct rule every[RULES_MAX]; /* every core's, for the tests */
static unsigned nevery;
static bool parsed;
static struct held held[HELD_MAX];
static uint64_t counts[FAULT_KINDS];

/* The type whose name is [s, s + n), or MSG_NONE. */
static uint16_t type_named(const char *s, size_t n)
{
	for (uint16_t t = 1; t < MSG_TYPE_COUNT; t++) {
		const char *name = msg_type_name(t);
		if (strlen(name) == n && memcmp(name, s, n) == 0)
			return t;
	}
	return MSG_NONE;
}

/* Reads a decimal number at *s; false if there is none. */
static bool number(const char **s, uint64_t *v)
{
	const char *p = *s;

	*v = 0;
	while (*p >= '0' && *p <= '9')
		*v = *v * 10 + (uint64_t)(*p++ - '0');
	if (p == *s)
		return false;
	*s = p;
	return true;
}

static bool expect(const char **s, char c)
{
	if (**s != c)
		return false;
	(*s)++;
	return true;
}

/* One rule "ACTION:TYPE:FROM-TO:NTH[:MS]" at *s, kept if this core sends
 * it; false (and logged) when malformed. */
static bool parse_rule(const char **s)
{
	static const char *const names[] = {"drop", "dup", "delay"};
	struct rule r = {0};
	const char *p = *s, *colon;
	uint64_t from, to, nth = NTH_ANY, ms = 0;
	unsigned a;

	for (a = 0; a < 3; a++)
		if (strncmp(p, names[a], strlen(names[a])) == 0 && p[strlen(names[a])] == ':')
			break;
	if (a == 3)
		return false;
	p += strlen(names[a]) + 1;
	for (colon = p; *colon && *colon != ':'; colon++)
		;
	r.type = type_named(p, (size_t)(colon - p));
	p = colon;
	if (r.type == MSG_NONE || !expect(&p, ':') || !number(&p, &from) || !expect(&p, '-') ||
	    !number(&p, &to) || !expect(&p, ':') || to >= SMP_MAX_CORES)
		return false;
	if (!expect(&p, '*') && (!number(&p, &nth) || nth == 0))
		return false;
	if (a == ACT_DELAY && (!expect(&p, ':') || !number(&p, &ms)))
		return false;
	*s = p;
	r.action = (uint8_t)a;
	r.from = (uint8_t)from;
	r.to = (uint8_t)to;
	r.nth = (uint32_t)nth;
	r.ms = ms;
	if (from >= SMP_MAX_CORES || nevery == RULES_MAX)
		return false;
	every[nevery++] = r;
	if (from == core_self())
		rules[nrules++] = r;
	return true;
}

static void parse(void)
{
	char text[RULE_TEXT];
	const char *s = text;

	parsed = true;
	if (!cmdline_find(cmdline_raw(), "chan.fault", text, sizeof text))
		return;
	while (*s) {
		if (!parse_rule(&s) || (*s && !expect(&s, ','))) {
			log_printf("fault: chan.fault: malformed rule at \"%s\"; the rest is "
			           "ignored\n",
			           s);
			return;
		}
	}
}

/* Queues a copy of the message, to be sent at deadline due. */
static bool hold(unsigned to, uint16_t type, const void *payload, size_t len, uint64_t due)
{
	for (unsigned i = 0; i < HELD_MAX; i++) {
		struct held *h = &held[i];
		if (h->used)
			continue;
		*h = (struct held){.used = true,
		                   .to = (uint8_t)to,
		                   .type = type,
		                   .len = (uint8_t)len,
		                   .due = due};
		memcpy(h->payload, payload, len);
		return true;
	}
	log_printf("fault: no room to hold a %s message; sent as usual\n", msg_type_name(type));
	return false;
}

bool fault_intercept(unsigned peer, uint16_t type, const void *payload, size_t len)
{
	if (!parsed)
		parse();
	for (unsigned i = 0; i < nrules; i++) {
		struct rule *r = &rules[i];
		if (r->type != type || r->to != peer)
			continue;
		r->seen++;
		if (r->nth != NTH_ANY && r->seen != r->nth)
			continue;
		log_printf("fault: %s %s #%u to core %u\n",
		           r->action == ACT_DROP  ? "dropping"
		           : r->action == ACT_DUP ? "duplicating"
		                                  : "delaying",
		           msg_type_name(type), r->seen, peer);
		if (r->action == ACT_DROP) {
			counts[FAULT_DROPPED]++;
			return true;
		}
		if (r->action == ACT_DUP) {
			if (hold(peer, type, payload, len, 0))
				counts[FAULT_DUPLICATED]++;
			return false;
		}
		if (hold(peer, type, payload, len, ktime_deadline(r->ms))) {
			counts[FAULT_DELAYED]++;
			return true;
		}
	}
	return false;
}

void fault_tick(void)
{
	for (unsigned i = 0; i < HELD_MAX; i++) {
		struct held *h = &held[i];
		if (!h->used || (h->due && !ktime_passed(h->due)))
			continue;
		if (chan_send_direct(h->to, h->type, h->payload, h->len) != ERR_FULL)
			h->used = false; /* sent (or the channel is gone) */
	}
}

unsigned fault_pending(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < HELD_MAX; i++)
		n += held[i].used;
	return n;
}

uint64_t fault_count(enum fault_kind kind)
{
	return kind < FAULT_KINDS ? counts[kind] : 0;
}

/* fault.start=CORE:SUBSYSTEM[,...]: whether a rule fails subsystem on
 * core (any subsystem when it is NULL). */
static bool start_fails(unsigned core, const char *subsystem)
{
	char text[RULE_TEXT];
	const char *s = text;
	uint64_t c;

	if (!cmdline_find(cmdline_raw(), "fault.start", text, sizeof text))
		return false;
	while (number(&s, &c) && expect(&s, ':')) {
		const char *name = s;
		while (*s && *s != ',')
			s++;
		size_t n = (size_t)(s - name);
		if (c == core &&
		    (!subsystem || (n == strlen(subsystem) && memcmp(name, subsystem, n) == 0)))
			return true;
		if (*s)
			s++;
	}
	return false;
}

enum err fault_on_start(const char *subsystem)
{
	if (start_fails(core_self(), subsystem)) {
		log_printf("fault: failing the start of %s on this core\n", subsystem);
		return ERR_NOMEM;
	}
	return ERR_OK;
}

unsigned fault_rules(const char *action, uint16_t type, unsigned from, unsigned to)
{
	static const char *const names[] = {"drop", "dup", "delay"};
	unsigned n = 0;

	if (!parsed)
		parse();
	for (unsigned i = 0; i < nevery; i++)
		n += strcmp(names[every[i].action], action) == 0 && every[i].type == type &&
		     every[i].from == from && every[i].to == to;
	return n;
}

bool fault_start_rule(unsigned core)
{
	return start_fails(core, NULL);
}
