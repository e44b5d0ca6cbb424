/* This core's identity; see core.h. */
#include "core.h"

static const struct smp_handoff *me;
static uint64_t online = 1;                         /* core 0 always */
static struct memplan_untyped plans[SMP_MAX_CORES]; /* the boot core's record */

enum err core_adopt(const struct smp_handoff *h)
{
	if (h->magic != SMP_HANDOFF_MAGIC || h->self >= SMP_MAX_CORES || h->ncores > SMP_MAX_CORES)
		return ERR_CORRUPT;
	me = h;
	online = 1ull | 1ull << h->self;
	return ERR_OK;
}

unsigned core_self(void)
{
	return me ? me->self : 0;
}

unsigned core_count(void)
{
	return me ? me->ncores : 1;
}

const struct smp_handoff *core_record(void)
{
	return me;
}

const struct smp_core *core_info(unsigned c)
{
	return me && c < me->ncores ? &me->cores[c] : NULL;
}

uint64_t core_online(void)
{
	return online;
}

void core_set_online(uint64_t mask)
{
	online = mask;
}

const struct memplan_untyped *core_untyped(unsigned c)
{
	if (!me || c >= me->ncores || me->cores[c].state == SMP_CORE_ABSENT)
		return NULL;
	if (c == me->self)
		return &me->untyped;
	return me->self == 0 ? &plans[c] : NULL;
}

void core_set_untyped(unsigned c, const struct memplan_untyped *u)
{
	if (c < SMP_MAX_CORES)
		plans[c] = *u;
}

bool core_kernel_file(const void **data, size_t *size)
{
	if (!me || !me->kernel_file)
		return false;
	*data = (const void *)(uintptr_t)me->kernel_file;
	*size = me->kernel_file_size;
	return true;
}
