/* Serial line helpers; see serial.h. */
#include "serial.h"

#include <stdio.h>
#include <string.h>

/* Length of the escape sequence starting at s (s[0] == ESC). */
static size_t escape_len(const unsigned char *s)
{
	size_t i = 1;
	if (s[1] == '[') { /* CSI: parameters, intermediates, one final byte */
		for (i = 2; s[i] >= 0x20 && s[i] <= 0x3f; i++)
			;
		return s[i] >= 0x40 && s[i] <= 0x7e ? i + 1 : i;
	}
	if (s[1] == ']') { /* OSC: up to BEL or ESC \ */
		for (i = 2; s[i] && s[i] != 7 && s[i] != 27; i++)
			;
		return s[i] == 7 ? i + 1 : s[i] == 27 && s[i + 1] == '\\' ? i + 2 : i;
	}
	return s[1] ? 2 : 1;
}

void serial_clean(char *line)
{
	unsigned char *s = (unsigned char *)line, *d = s;
	while (*s) {
		if (*s == 27) {
			s += escape_len(s);
		} else if (*s < 0x20 && *s != '\t') {
			s++;
		} else if (*s == 0x7f) {
			s++;
		} else {
			*d++ = *s++;
		}
	}
	*d = '\0';
}

int serial_boot_complete(const char *line, int *online, int *total)
{
	static const char marker[] = "tessera: boot complete: ";
	const char *p = strstr(line, marker);
	int x, y, n = 0;
	if (!p)
		return 0;
	if (sscanf(p + sizeof marker - 1, "%d/%d cores online%n", &x, &y, &n) != 2 || n == 0)
		return 0;
	*online = x;
	*total = y;
	return 1;
}

int serial_loader_line(const char *line, char *loader, size_t size)
{
	static const char marker[] = "tessera: loader: ";
	const char *p = strstr(line, marker);
	if (!p)
		return 0;
	p += sizeof marker - 1;
	const char *end = strstr(p, ", firmware:");
	size_t n = end ? (size_t)(end - p) : strlen(p);
	snprintf(loader, size, "%.*s", (int)n, p);
	return 1;
}
