/* init's startup description, one line at a time; see startup.h. */
#include "startup.h"

#include <fmt/fmt.h>
#include <stdbool.h>
#include <string/mem.h>

#define MIN_KIB 64u
#define MAX_KIB (1u << 20)
#define WORDS   24

struct word {
	const char *s;
	size_t n;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Splits s into words; how many (WORDS + 1: too many). */
static unsigned split(const char *s, size_t n, struct word *w)
{
	unsigned k = 0;

	for (size_t i = 0; i < n;) {
		if (is_space(s[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && !is_space(s[j]))
			j++;
		if (k == WORDS)
			return WORDS + 1;
		w[k++] = (struct word){s + i, j - i};
		i = j;
	}
	return k;
}

static bool is(const struct word *w, const char *lit)
{
	return w->n == strlen(lit) && memcmp(w->s, lit, w->n) == 0;
}

/* A decimal number of at most 9 digits. */
static bool number(const struct word *w, uint32_t *v)
{
	*v = 0;
	if (!w->n || w->n > 9)
		return false;
	for (size_t i = 0; i < w->n; i++) {
		if (w->s[i] < '0' || w->s[i] > '9')
			return false;
		*v = *v * 10 + (uint32_t)(w->s[i] - '0');
	}
	return true;
}

static bool name_ok(const struct word *w)
{
	if (!w->n || w->n >= BOOTINFO_NAME)
		return false;
	for (size_t i = 0; i < w->n; i++) {
		char c = w->s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

static enum err bad(char *why, size_t len, const char *fmt, const struct word *w)
{
	fmt_snprintf(why, len, fmt, w ? (int)w->n : 0, w ? w->s : "");
	return ERR_CORRUPT;
}

enum err startup_line(const char *s, size_t n, struct startup_entry *e, char *why, size_t why_len)
{
	struct word w[WORDS];
	unsigned k = split(s, n, w);
	uint32_t core = ~0u, kib = STARTUP_MEMORY_KIB;

	if (k == 0 || w[0].s[0] == '#')
		return ERR_NOENT;
	if (k > WORDS)
		return bad(why, why_len, "too many words%.*s", NULL);
	if (!is(&w[0], "program"))
		return bad(why, why_len, "'%.*s': expected 'program'", &w[0]);
	if (k < 2 || !name_ok(&w[1]))
		return bad(why, why_len, "'%.*s': expected a module name (letters, digits, _ - .)",
		           k < 2 ? NULL : &w[1]);
	const struct word *chan = NULL, *dev[STARTUP_DEVS];
	unsigned ndev = 0;
	for (unsigned i = 2; i < k; i += 2) {
		uint32_t v;
		if (is(&w[i], "dev")) {
			if (i + 1 == k || !name_ok(&w[i + 1]) || w[i + 1].n >= STARTUP_DEV_NAME)
				return bad(why, why_len,
				           "'%.*s' needs a device cap name (at most 23 letters, "
				           "digits, _ - .)",
				           &w[i]);
			if (ndev == STARTUP_DEVS)
				return bad(why, why_len, "more than 8 '%.*s' caps", &w[i]);
			dev[ndev++] = &w[i + 1];
			continue;
		}
		if (is(&w[i], "chan")) {
			if (i + 1 == k || !name_ok(&w[i + 1]) || w[i + 1].n >= STARTUP_CHAN_NAME)
				return bad(why, why_len,
				           "'%.*s' needs a channel name (at most 15 "
				           "letters, digits, _ - .)",
				           &w[i]);
			chan = &w[i + 1];
			continue;
		}
		if (!is(&w[i], "core") && !is(&w[i], "memory"))
			return bad(why, why_len,
			           "'%.*s': expected 'core', 'memory', 'chan' or 'dev'", &w[i]);
		if (i + 1 == k || !number(&w[i + 1], &v))
			return bad(why, why_len, "'%.*s' needs a number", &w[i]);
		if (is(&w[i], "core") && v > STARTUP_MAX_CORE)
			return bad(why, why_len, "core %.*s: out of range 0..63", &w[i + 1]);
		if (is(&w[i], "memory") && (v < MIN_KIB || v > MAX_KIB))
			return bad(why, why_len, "memory %.*s KiB: out of range 64..1048576",
			           &w[i + 1]);
		*(is(&w[i], "core") ? &core : &kib) = v;
	}
	if (core == ~0u)
		return bad(why, why_len, "'core N' missing%.*s", NULL);
	*e = (struct startup_entry){.core = core, .budget_bits = 10};
	memcpy(e->name, w[1].s, w[1].n);
	e->name[w[1].n] = '\0';
	if (chan) {
		memcpy(e->chan, chan->s, chan->n);
		e->chan[chan->n] = '\0';
	}
	for (unsigned i = 0; i < ndev; i++) {
		memcpy(e->devs[i], dev[i]->s, dev[i]->n);
		e->devs[i][dev[i]->n] = '\0';
	}
	e->ndevs = ndev;
	while ((1ull << e->budget_bits) < (uint64_t)kib * 1024)
		e->budget_bits++;
	return ERR_OK;
}
