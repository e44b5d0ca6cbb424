/* The log: line prefixes, raw output, attaching and detaching outputs. */
#include "log.h"

#include <fmt/fmt.h>
#include <string/mem.h>

#include "ktest.h"
#include "smp.h"

struct capture {
	char text[256];
	size_t len;
};

static void capture_write(void *ctx, const char *s, size_t n)
{
	struct capture *c = ctx;
	for (size_t i = 0; i < n && c->len < sizeof c->text - 1; i++)
		c->text[c->len++] = s[i];
	c->text[c->len] = 0;
}

static size_t test_prefix(char *buf, size_t size)
{
	return fmt_snprintf(buf, size, "<t> ");
}

KTEST(log, prefixes_every_line)
{
	static struct capture cap;
	static struct log_output out = {.write = capture_write, .ctx = &cap};

	cap.len = 0;
	log_attach(&out, false);
	log_printf("one %d\ntw", 1);
	log_printf("o\n");
	log_detach(&out);
	log_printf("not captured\n");
	char want[64];
	fmt_snprintf(want, sizeof want, "[cpu%u] one 1\n[cpu%u] two\n", core_self(), core_self());
	KT_EXPECT_STREQ(cap.text, want);
}

KTEST(log, prefix_hook_and_raw_lines)
{
	static struct capture cap;
	static struct log_output out = {.write = capture_write, .ctx = &cap};

	cap.len = 0;
	log_attach(&out, false);
	log_set_prefix(test_prefix);
	log_printf("a\n");
	log_set_prefix(NULL);
	log_rawf("raw %s\n", "line");
	log_printf("b\n");
	log_detach(&out);
	char want[64];
	fmt_snprintf(want, sizeof want, "<t> a\nraw line\n[cpu%u] b\n", core_self());
	KT_EXPECT_STREQ(cap.text, want);
}

KTEST(log, replays_early_output)
{
	static struct capture cap;
	static struct log_output out = {.write = capture_write, .ctx = &cap};

	cap.len = 0;
	log_attach(&out, true);
	log_detach(&out);
	/* The first thing a core logs is its start line. */
	char want[32];
	size_t n = fmt_snprintf(want, sizeof want, "[cpu%u] tessera: ", core_self());
	KT_EXPECT(memcmp(cap.text, want, n) == 0);
}
