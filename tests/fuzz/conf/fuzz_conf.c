/* Fuzz target: boot/common/conf.c, the loader's limine.conf parser.  The
 * input is the file: it is parsed in place (in a buffer of exactly len + 1
 * bytes, as conf.h asks), the entry to boot is picked, and its kernel and
 * module paths are split as the loader splits them.  Checks what conf.h
 * promises: an error names a line and says why, and every string the
 * result holds points into the text.
 */
#include <conf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *text_lo, *text_hi;

static void in_text(const char *s)
{
	if (s && s[0] && (s < text_lo || s >= text_hi)) {
		fprintf(stderr, "fuzz_conf: a value outside the text\n");
		abort();
	}
}

static void note(void *ctx, unsigned line, const char *msg)
{
	if (line == 0 || strnlen(msg, 128) == 128)
		abort();
	++*(unsigned *)ctx;
}

static void split(const char *path)
{
	char buf[256];
	struct conf_path p;
	if (path && conf_path_parse(path, buf, sizeof buf, &p) == ERR_OK &&
	    (p.path[0] != '/' || strnlen(p.resource, sizeof p.resource) == sizeof p.resource))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct conf *c = malloc(sizeof *c);
	unsigned notes = 0;
	struct conf_diag d = {.note = note, .note_ctx = &notes};
	if (!text || !c)
		abort();
	memcpy(text, data, size);
	text_lo = text;
	text_hi = text + size + 1;
	enum err e = conf_parse(text, size, c, &d);
	if (e != ERR_OK) {
		if (d.line == 0 || !d.msg[0])
			abort();
	} else {
		if (c->entry_count > CONF_MAX_ENTRIES)
			abort();
		for (size_t i = 0; i < c->entry_count; i++) {
			const struct conf_entry *en = &c->entries[i];
			in_text(en->title), in_text(en->protocol), in_text(en->kernel_path);
			in_text(en->cmdline);
			if (en->module_count > CONF_MAX_MODULES)
				abort();
			for (size_t m = 0; m < en->module_count; m++)
				in_text(en->modules[m].path), in_text(en->modules[m].cmdline);
		}
		const struct conf_entry *pick;
		if (conf_pick(c, &pick, &d) == ERR_OK) {
			split(pick->kernel_path);
			for (size_t m = 0; m < pick->module_count; m++)
				split(pick->modules[m].path);
		} else if (!d.msg[0]) {
			abort();
		}
	}
	free(c);
	free(text);
	return 0;
}
