/* FAT name helpers; see fat_name.h. */
#include "fat_name.h"

#include <string/mem.h>

uint8_t fat_name_checksum(const uint8_t name[11])
{
	uint8_t sum = 0;
	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) ? 0x80 : 0) + (sum >> 1) + name[i]);
	return sum;
}

void fat_name_lfn_get(const struct fat_lfn_entry *e, uint16_t units[FAT_LFN_CHARS])
{
	for (int i = 0; i < 5; i++)
		units[i] = e->name1[i];
	for (int i = 0; i < 6; i++)
		units[5 + i] = e->name2[i];
	for (int i = 0; i < 2; i++)
		units[11 + i] = e->name3[i];
}

void fat_name_lfn_put(struct fat_lfn_entry *e, const uint16_t units[FAT_LFN_CHARS])
{
	for (int i = 0; i < 5; i++)
		e->name1[i] = units[i];
	for (int i = 0; i < 6; i++)
		e->name2[i] = units[5 + i];
	for (int i = 0; i < 2; i++)
		e->name3[i] = units[11 + i];
}

void fat_name_lfn_add(struct fat_name_lfn *s, const struct fat_lfn_entry *l)
{
	int ord = l->ord & FAT_LFN_ORD_MASK;
	if (l->ord & FAT_LFN_LAST) {
		if (ord == 0 || ord > FAT_LFN_MAX_ENTRIES) {
			s->expect = -1;
			return;
		}
		s->total = ord;
		s->sum = l->checksum;
	} else if (s->expect <= 0 || ord != s->expect || l->checksum != s->sum) {
		s->expect = -1;
		return;
	}
	fat_name_lfn_get(l, s->units + (ord - 1) * FAT_LFN_CHARS);
	s->expect = ord - 1;
}

int fat_name_lfn_match(const struct fat_name_lfn *s, const uint8_t name[11])
{
	if (s->expect != 0 || s->sum != fat_name_checksum(name))
		return -1;
	int n = 0, max = s->total * FAT_LFN_CHARS;
	while (n < max && n < FAT_LFN_MAX_UNITS && s->units[n])
		n++;
	return n ? n : -1;
}

/* Appends the UTF-8 form of code point cp; returns the new length or -1. */
static int put_utf8(char *out, size_t cap, size_t len, uint32_t cp)
{
	uint8_t b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (uint8_t)(0xc0 | (cp >> 6));
		b[1] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xe0 | (cp >> 12));
		b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | (cp >> 18));
		b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (len + n + 1 > cap)
		return -1;
	for (size_t i = 0; i < n; i++)
		out[len + i] = (char)b[i];
	return (int)(len + n);
}

int fat_name_to_utf8(const uint16_t *units, size_t n, char *out, size_t cap)
{
	int len = 0;
	if (cap == 0)
		return -1;
	for (size_t i = 0; i < n && units[i]; i++) {
		uint32_t cp = units[i];
		if (cp >= 0xd800 && cp < 0xdc00) {
			if (i + 1 >= n || units[i + 1] < 0xdc00 || units[i + 1] >= 0xe000)
				return -1;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (units[++i] - 0xdc00u);
		} else if (cp >= 0xdc00 && cp < 0xe000) {
			return -1;
		}
		len = put_utf8(out, cap, (size_t)len, cp);
		if (len < 0)
			return -1;
	}
	out[len] = 0;
	return len;
}

/* Decodes one UTF-8 sequence at s[*i]; returns the code point or -1. */
static int32_t get_utf8(const char *s, size_t len, size_t *i)
{
	static const uint32_t min_cp[4] = {0, 0x80, 0x800, 0x10000};
	uint8_t c = (uint8_t)s[(*i)++];
	size_t extra;
	uint32_t cp;
	if (c < 0x80)
		return c;
	if (c >= 0xc0 && c < 0xe0) {
		extra = 1;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c < 0xf0) {
		extra = 2;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c < 0xf8) {
		extra = 3;
		cp = c & 0x07;
	} else {
		return -1;
	}
	for (size_t k = 0; k < extra; k++) {
		if (*i >= len || ((uint8_t)s[*i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | ((uint8_t)s[(*i)++] & 0x3f);
	}
	if (cp < min_cp[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
		return -1;
	return (int32_t)cp;
}

int fat_name_from_utf8(const char *s, size_t len, uint16_t *out, size_t cap)
{
	size_t n = 0, i = 0;
	while (i < len) {
		int32_t cp = get_utf8(s, len, &i);
		if (cp < 0)
			return -1;
		size_t k = cp >= 0x10000 ? 2 : 1;
		if (!out) {
			n += k;
			continue;
		}
		if (n + k > cap)
			return -1;
		if (k == 2) {
			out[n++] = (uint16_t)(0xd800 + ((cp - 0x10000) >> 10));
			out[n++] = (uint16_t)(0xdc00 + ((cp - 0x10000) & 0x3ff));
		} else {
			out[n++] = (uint16_t)cp;
		}
	}
	return n > INT32_MAX ? -1 : (int)n;
}

/* Copies a space-padded field, trimming the padding; lower-cases when asked. */
static size_t copy_field(char *out, const uint8_t *field, size_t width, int lower)
{
	size_t n = width;
	while (n > 0 && field[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = field[i];
		if (lower && c >= 'A' && c <= 'Z')
			c = (uint8_t)(c + ('a' - 'A'));
		out[i] = (char)c;
	}
	return n;
}

void fat_name_short_format(const uint8_t name[11], uint8_t nt_case, char out[13])
{
	uint8_t base[8];
	memcpy(base, name, 8);
	if (base[0] == FAT_DIRENT_KANJI)
		base[0] = FAT_DIRENT_FREE;
	size_t n = copy_field(out, base, 8, nt_case & FAT_NT_LOWER_BASE);
	if (name[8] != ' ') {
		out[n++] = '.';
		n += copy_field(out + n, name + 8, 3, nt_case & FAT_NT_LOWER_EXT);
	}
	out[n] = 0;
}
