/* Host fixtures: a machine of four cores running six programs, as tables
 * and records of lib/typed values with the types a system library would
 * export.  spawn and kill change the program list (up to 16 more). */
#include <string.h>

#include "fixtures.h"

#define SPAWN_MAX 16

static const struct typed_type t_core = {.kind = TYPED_UINT, .u = {0, 63}};
static const struct typed_type t_apic = {.kind = TYPED_UINT, .u = {0, 255}};
static const struct typed_type t_size = {.kind = TYPED_SIZE, .u = {0, UINT64_MAX}};
static const struct typed_type t_uint = {.kind = TYPED_UINT, .u = {0, UINT64_MAX}};
static const struct typed_type t_pid = {.kind = TYPED_UINT, .u = {1, UINT64_MAX}};
static const struct typed_type t_name = {.kind = TYPED_STRING, .str = {31}};
static const struct typed_type t_dur = {.kind = TYPED_DURATION, .u = {0, UINT64_MAX}};
static const char *const state_names[] = {"running", "waiting", "stopped"};
static const struct typed_type t_state = {.kind = TYPED_ENUM, .en = {state_names, 3}};
static const struct typed_type t_opt_state = {.kind = TYPED_OPTIONAL, .inner = &t_state};

/* cores: table(core, apic, free, programs) */
static const struct typed_field core_f[] = {{"core", "the core's number", &t_core, NULL},
                                            {"apic", "its local APIC id", &t_apic, NULL},
                                            {"free", "free memory it holds", &t_size, NULL},
                                            {"programs", "programs on it", &t_uint, NULL}};
static const struct typed_type core_row = {.kind = TYPED_RECORD, .rec = {core_f, 4}};
static const struct typed_type core_table = {.kind = TYPED_LIST, .list = {&core_row, 64}};

/* ps: table(pid, name, core, mem, state) */
static const struct typed_field ps_f[] = {{"pid", "program id", &t_pid, NULL},
                                          {"name", "its module", &t_name, NULL},
                                          {"core", "where it runs", &t_core, NULL},
                                          {"mem", "its budget", &t_size, NULL},
                                          {"state", "running, waiting or stopped", &t_state, NULL}};
static const struct typed_type ps_row = {.kind = TYPED_RECORD, .rec = {ps_f, 5}};
static const struct typed_type ps_table = {.kind = TYPED_LIST, .list = {&ps_row, 256}};

/* mem: record(total, used, free) */
static const struct typed_field mem_f[] = {{"total", "memory the cores were given", &t_size, NULL},
                                           {"used", "held by programs and kernels", &t_size, NULL},
                                           {"free", "not yet handed out", &t_size, NULL}};
static const struct typed_type mem_rec = {.kind = TYPED_RECORD, .rec = {mem_f, 3}};

struct program {
	uint64_t pid;
	const char *name;
	uint64_t core, mem, state;
};

static const struct program base[] = {
        {1, "init", 0, 1u << 20, 1},     {2, "sieve", 0, 2u << 20, 0},
        {3, "counter", 1, 1u << 20, 0},  {4, "sieve", 3, 2u << 20, 0},
        {5, "pingpong", 1, 1u << 20, 1}, {6, "pingpong", 2, 1u << 20, 1},
};

static struct program spawned[SPAWN_MAX];
static char spawned_names[SPAWN_MAX][32];
static unsigned nspawned;
static bool killed[sizeof base / sizeof base[0] + SPAWN_MAX];

void tshell_fixtures_reset(void)
{
	nspawned = 0;
	memset(killed, 0, sizeof killed);
}

static void set_u(struct typed_value *v, uint64_t u)
{
	v->u = u;
}

static enum err cores(struct shell_call *c)
{
	static const uint64_t rows[][4] = {{0, 0, 112u << 20, 3},
	                                   {1, 1, 120u << 20, 2},
	                                   {2, 2, 121u << 20, 1},
	                                   {3, 6, 96u << 20, 1}};
	if (!shell_make_list(c, c->out, &core_table, 4))
		return ERR_NOMEM;
	for (uint32_t i = 0; i < 4; i++) {
		struct typed_value *r = &c->out->list.items[i];
		if (!shell_make_record(c->arena, r, &core_row))
			return ERR_NOMEM;
		for (uint32_t k = 0; k < 4; k++)
			set_u(&r->list.items[k], rows[i][k]);
	}
	return ERR_OK;
}

static const struct program *program_at(unsigned i)
{
	unsigned nbase = sizeof base / sizeof base[0];
	return i < nbase ? &base[i] : &spawned[i - nbase];
}

static enum err ps(struct shell_call *c)
{
	const struct typed_value *state = c->args->list.items[0].some;
	unsigned total = sizeof base / sizeof base[0] + nspawned, n = 0;
	for (unsigned i = 0; i < total; i++)
		n += !killed[i] && (!state || program_at(i)->state == state->u);
	if (!shell_make_list(c, c->out, &ps_table, n))
		return ERR_NOMEM;
	for (unsigned i = 0, j = 0; i < total; i++) {
		const struct program *p = program_at(i);
		if (killed[i] || (state && p->state != state->u))
			continue;
		struct typed_value *r = &c->out->list.items[j++];
		if (!shell_make_record(c->arena, r, &ps_row))
			return ERR_NOMEM;
		r->list.items[0].u = p->pid;
		r->list.items[1].str.s = p->name;
		r->list.items[1].str.len = (uint32_t)strlen(p->name);
		r->list.items[2].u = p->core;
		r->list.items[3].u = p->mem;
		r->list.items[4].u = p->state;
	}
	return ERR_OK;
}

static enum err mem(struct shell_call *c)
{
	if (!shell_make_record(c->arena, c->out, &mem_rec))
		return ERR_NOMEM;
	c->out->list.items[0].u = 512u << 20;
	c->out->list.items[1].u = 63u << 20;
	c->out->list.items[2].u = 449u << 20;
	return ERR_OK;
}

static enum err uptime(struct shell_call *c)
{
	c->out->u = 3723ull * 1000000000ull; /* 1h2min3s */
	return ERR_OK;
}

/* spawn NAME [core=N] [memory=SIZE]: a program record (not started). */
static const struct typed_type t_budget = {.kind = TYPED_SIZE, .u = {64u << 10, 1u << 30}};
static const struct typed_value v_core0 = {.type = &t_core, .u = 0};
static const struct typed_value v_1m = {.type = &t_budget, .u = 1u << 20};
static const struct typed_field spawn_f[] = {{"name", "the boot module to start", &t_name, NULL},
                                             {"core", "where it runs", &t_core, &v_core0},
                                             {"memory", "its budget", &t_budget, &v_1m}};
static const struct typed_type spawn_p = {.kind = TYPED_RECORD, .rec = {spawn_f, 3}};

static enum err spawn(struct shell_call *c)
{
	const struct typed_value *a = c->args->list.items;
	if (nspawned == SPAWN_MAX)
		return shell_call_fail(c, "no room for more programs (%u spawned)", SPAWN_MAX);
	struct program *p = &spawned[nspawned];
	memcpy(spawned_names[nspawned], a[0].str.s, a[0].str.len);
	spawned_names[nspawned][a[0].str.len] = 0;
	*p = (struct program){7 + nspawned, spawned_names[nspawned], a[1].u, a[2].u, 0};
	nspawned++;
	if (!shell_make_record(c->arena, c->out, &ps_row))
		return ERR_NOMEM;
	c->out->list.items[0].u = p->pid;
	c->out->list.items[1].str.s = p->name;
	c->out->list.items[1].str.len = a[0].str.len;
	c->out->list.items[2].u = p->core;
	c->out->list.items[3].u = p->mem;
	c->out->list.items[4].u = p->state;
	return ERR_OK;
}

static const struct typed_field kill_f[] = {{"pid", "the program to stop", &t_pid, NULL}};
static const struct typed_type kill_p = {.kind = TYPED_RECORD, .rec = {kill_f, 1}};

static enum err kill_(struct shell_call *c)
{
	uint64_t pid = c->args->list.items[0].u;
	unsigned total = sizeof base / sizeof base[0] + nspawned;
	for (unsigned i = 0; i < total; i++)
		if (program_at(i)->pid == pid && !killed[i]) {
			killed[i] = true;
			return ERR_OK;
		}
	return shell_call_fail(c, "no program %llu", (unsigned long long)pid);
}

static const struct typed_field ps_args_f[] = {
        {"state", "only programs in this state", &t_opt_state, NULL}};
static const struct typed_type ps_p = {.kind = TYPED_RECORD, .rec = {ps_args_f, 1}};

static const struct shell_sig sigs[] = {
        {"cores", "online cores with their APIC id and free memory", NULL, NULL, SHELL_IO_NONE,
         SHELL_IO_TYPE, NULL, &core_table, cores, NULL},
        {"ps", "the programs", &ps_p, NULL, SHELL_IO_NONE, SHELL_IO_TYPE, NULL, &ps_table, ps,
         NULL},
        {"mem", "memory in all", NULL, NULL, SHELL_IO_NONE, SHELL_IO_TYPE, NULL, &mem_rec, mem,
         NULL},
        {"uptime", "time since boot", NULL, NULL, SHELL_IO_NONE, SHELL_IO_TYPE, NULL, &t_dur,
         uptime, NULL},
        {"spawn", "start a program from a boot module", &spawn_p, NULL, SHELL_IO_NONE,
         SHELL_IO_TYPE, NULL, &ps_row, spawn, NULL},
        {"kill", "stop a program", &kill_p, NULL, SHELL_IO_NONE, SHELL_IO_NONE, NULL, NULL, kill_,
         NULL},
};

const struct shell_cmds tshell_fixtures = {sigs, sizeof sigs / sizeof sigs[0], &shell_std_cmds,
                                           "fixtures"};
