/* The kernel command line; see cmdline.h. */
#include "cmdline.h"

#include <string/mem.h>

static const char *line = "";

void cmdline_init(const char *s)
{
	line = s ? s : "";
}

const char *cmdline_raw(void)
{
	return line;
}

bool cmdline_find(const char *s, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);

	while (*s) {
		while (*s == ' ')
			s++;
		const char *word = s;
		while (*s && *s != ' ')
			s++;
		size_t wlen = (size_t)(s - word);
		if (wlen > klen && word[klen] == '=' && strncmp(word, key, klen) == 0) {
			size_t vlen = wlen - klen - 1;
			if (vlen >= size)
				vlen = size - 1;
			memcpy(out, word + klen + 1, vlen);
			out[vlen] = '\0';
			return true;
		}
	}
	return false;
}

/* Parses a decimal number at *p, advancing *p; false if there is none. */
static bool parse_u64(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t n = 0;

	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9') {
		if (n > (UINT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (uint64_t)(*s++ - '0');
	}
	*p = s;
	*v = n;
	return true;
}

bool cmdline_u64(const char *key, uint64_t *v)
{
	char buf[24];
	const char *p = buf;

	return cmdline_find(line, key, buf, sizeof buf) && parse_u64(&p, v) && *p == '\0';
}

bool cmdline_list_has(const char *key, uint64_t v)
{
	char buf[128];
	const char *p = buf;
	uint64_t n;

	if (!cmdline_find(line, key, buf, sizeof buf))
		return false;
	while (parse_u64(&p, &n)) {
		if (n == v)
			return true;
		if (*p != ',')
			break;
		p++;
	}
	return false;
}
