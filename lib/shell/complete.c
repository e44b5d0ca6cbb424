/* Tab completion from the signatures: which command a word belongs to and
 * which of its parameters it fills, from a light scan of the line (quotes
 * respected; the line need not parse); paths from the host's lister. */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

struct found {
	struct shell_cand *out;
	uint32_t max, n;
	const char *word;
	size_t len;
};

static void offer(struct found *f, const char *name, bool arg)
{
	if (strncmp(name, f->word, f->len))
		return;
	for (uint32_t i = 0; i < f->n && i < f->max; i++)
		if (!strcmp(f->out[i].name, name) && f->out[i].arg == arg)
			return;
	if (f->n < f->max)
		f->out[f->n] = (struct shell_cand){name, arg, false};
	f->n++;
}

static void offer_commands(struct found *f, const struct shell *sh)
{
	for (uint32_t i = 0; i < sh->nfuncs; i++)
		offer(f, sh->funcs[i].name, false);
	for (const struct shell_cmds *t = sh->cmds; t; t = t->next)
		for (uint32_t i = 0; i < t->count; i++)
			offer(f, t->sigs[i].name, false);
}

/* The values of parameter i of s: enum names, or commands. */
static void offer_values(struct found *f, const struct shell *sh, const struct shell_sig *s, int i)
{
	if (i < 0 || !s->params || (uint32_t)i >= s->params->rec.count)
		return;
	const struct typed_type *t = s->params->rec.fields[i].type;
	if (t->kind == TYPED_OPTIONAL)
		t = t->inner;
	if (s->arg_kinds && s->arg_kinds[i] == SHELL_ARG_COMMAND)
		offer_commands(f, sh);
	else if (s->arg_kinds && s->arg_kinds[i] == SHELL_ARG_PROGRAM)
		for (uint32_t k = 0; k < sh->nprograms; k++)
			offer(f, sh->programs[k], false);
	else if (t->kind == TYPED_ENUM)
		for (uint32_t k = 0; k < t->en.count; k++)
			offer(f, t->en.names[k], false);
}

/* Where the stage the cursor is in starts: after the last | ; ( { or new
 * line outside a string. */
static size_t stage_start(const char *line, size_t end)
{
	size_t start = 0;
	bool quoted = false;
	for (size_t i = 0; i < end; i++) {
		if (line[i] == '"' && (i == 0 || line[i - 1] != '\\'))
			quoted = !quoted;
		else if (!quoted && strchr("|;({\n", line[i]))
			start = i + 1;
	}
	return start;
}

/* The words of [from, to): the first (the command) into cmd, and the
 * number of positional ones after it. */
static uint32_t scan_words(const char *line, size_t from, size_t to, char *cmd, size_t size)
{
	uint32_t words = 0, positional = 0;
	size_t i = from;
	cmd[0] = 0;
	while (i < to) {
		while (i < to && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i >= to)
			break;
		size_t w = i, n = 0;
		bool named = false, quoted = false;
		while (i < to && (quoted || (line[i] != ' ' && line[i] != '\t'))) {
			if (line[i] == '"')
				quoted = !quoted;
			if (!quoted && line[i] == '=' && n && name_char(line[i - 1]) &&
			    (i + 1 >= to || line[i + 1] != '='))
				named = n == i - w;
			n++;
			i++;
		}
		if (words++ == 0 && n < size) {
			memcpy(cmd, line + w, n);
			cmd[n] = 0;
		} else if (!named) {
			positional++;
		}
	}
	return positional;
}

void shell_set_paths(struct shell *sh, shell_list_fn list, void *ctx)
{
	sh->list = list;
	sh->list_ctx = ctx;
	if (!sh->entries) {
		sh->entries = typed_arena_alloc(&sh->arena, SHELL_ENTRIES * SHELL_ENTRY_MAX);
		sh->entry_dirs = typed_arena_alloc(&sh->arena, SHELL_ENTRIES);
		sh->paths = typed_arena_alloc(&sh->arena, SHELL_ENTRIES * SHELL_PATH_CANDS);
	}
	if (!sh->entries || !sh->entry_dirs || !sh->paths)
		sh->list = NULL;
}

/* The path word [w, cursor) (it starts with '/'): its directory's entries
 * that start with what follows its last '/', as whole paths. */
static uint32_t complete_path(const struct shell *sh, const char *line, size_t w, size_t cursor,
                              struct shell_cand *out, uint32_t max)
{
	size_t slash = cursor;
	while (line[slash - 1] != '/')
		slash--;
	size_t dlen = slash - w > 1 ? slash - w - 1 : 1; /* "/a/b/" -> "/a/b", "/" -> "/" */
	char dir[SHELL_PATH_CANDS];
	if (dlen >= sizeof dir || cursor - w >= SHELL_PATH_CANDS - SHELL_ENTRY_MAX - 1)
		return 0;
	memcpy(dir, line + w, dlen);
	dir[dlen] = 0;
	uint32_t n = sh->list(sh->list_ctx, dir, sh->entries, sh->entry_dirs, SHELL_ENTRIES), k = 0;
	const char *typed = line + slash;
	size_t tlen = cursor - slash;
	for (uint32_t i = 0; i < n && i < SHELL_ENTRIES; i++) {
		const char *name = sh->entries[i];
		if (strnlen(name, SHELL_ENTRY_MAX) == SHELL_ENTRY_MAX || strncmp(name, typed, tlen))
			continue;
		char *p = sh->paths + (size_t)k * SHELL_PATH_CANDS;
		memcpy(p, line + w, slash - w);
		fmt_snprintf(p + (slash - w), SHELL_PATH_CANDS - (slash - w), "%s%s", name,
		             sh->entry_dirs[i] ? "/" : "");
		if (k < max)
			out[k] = (struct shell_cand){p, false, sh->entry_dirs[i]};
		k++;
	}
	return k;
}

uint32_t shell_complete(const struct shell *sh, const char *line, size_t cursor,
                        struct shell_cand *out, uint32_t max, size_t *start)
{
	size_t p = cursor;
	while (p > 0 && line[p - 1] != ' ' && line[p - 1] != '\t' && line[p - 1] != '=' &&
	       line[p - 1] != '"' && !strchr("|;({[", line[p - 1]))
		p--;
	if (p < cursor && line[p] == '/' && sh->list) {
		*start = p;
		return complete_path(sh, line, p, cursor, out, max);
	}
	size_t w = cursor;
	while (w > 0 && name_char(line[w - 1]))
		w--;
	*start = w;
	struct found f = {out, max, 0, line + w, cursor - w};
	size_t s = stage_start(line, w);
	char cmd[SHELL_NAME_MAX];
	uint32_t pos = scan_words(line, s, w, cmd, sizeof cmd);
	if (!cmd[0]) {
		offer_commands(&f, sh);
		return f.n;
	}
	const struct shell_sig *sig = cx_find_cmd(sh, cmd);
	if (!sig || !sig->params)
		return 0;
	if (w > 0 && line[w - 1] == '=') {
		size_t n = w - 1;
		while (n > 0 && name_char(line[n - 1]))
			n--;
		char name[SHELL_NAME_MAX];
		if (w - 1 - n >= sizeof name)
			return 0;
		memcpy(name, line + n, w - 1 - n);
		name[w - 1 - n] = 0;
		offer_values(&f, sh, sig, shell_field_index(sig->params, name));
		return f.n;
	}
	for (uint32_t i = 0; i < sig->params->rec.count; i++)
		offer(&f, sig->params->rec.fields[i].name, true);
	offer_values(&f, sh, sig, (int)pos);
	return f.n;
}
