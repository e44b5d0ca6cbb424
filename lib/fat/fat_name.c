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

const char *fat_name_check(const char *name)
{
	size_t n = strlen(name);
	if (n == 0)
		return "empty name";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "'.' and '..' are reserved";
	if (name[n - 1] == '.' || name[n - 1] == ' ')
		return "ends with a dot or a space";
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)name[i];
		if (c < 0x20 || c == 0x7f)
			return "contains a control character";
		if (strchr("\"*/:<>?\\|", c))
			return "contains one of \" * / : < > ? \\ | (not allowed in FAT names)";
	}
	int len = fat_name_from_utf8(name, n, NULL, 0);
	if (len < 0)
		return "not valid UTF-8";
	if (len > FAT_LFN_MAX_UNITS)
		return "longer than 255 characters";
	return NULL;
}

/* Whether ASCII c may appear in a short name (spec: "DIR_Name" rules). */
static int short_char_ok(uint16_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c < 0x80 && c > 0x20 && strchr("$%'-_@~`!(){}^#&", (int)c) != NULL;
}

/* Whether the short name s->name, shown as "NAME.EXT", spells the len units
 * exactly (*same) and up to ASCII case (*same_upper). */
static void compare_shown(const struct fat_name_short *s, const uint16_t *units, int len, int *same,
                          int *same_upper)
{
	char shown[13];
	fat_name_short_format(s->name, 0, shown);
	*same = (int)strlen(shown) == len;
	*same_upper = *same;
	for (int i = 0; *same_upper && i < len; i++) {
		*same = *same && (uint8_t)shown[i] == units[i];
		*same_upper = (uint8_t)shown[i] == fat_name_upper(units[i]);
	}
	*same = *same && *same_upper;
}

void fat_name_basis(const uint16_t *units, int len, struct fat_name_short *s)
{
	int lossy = 0, first_dot = -1, last_dot = -1, start = 0;
	while (start < len && units[start] == '.')
		start++;
	for (int i = start; i < len; i++)
		if (units[i] == '.') {
			last_dot = i;
			if (first_dot < 0)
				first_dot = i;
		}
	memset(s->name, ' ', 11);
	s->basis_len = 0;
	size_t ext = 0;
	for (int i = start; i < len; i++) {
		uint16_t c = fat_name_upper(units[i]);
		if (c == ' ' || c == '.' || (first_dot >= 0 && i > first_dot && i < last_dot))
			continue;
		if (!short_char_ok(c)) {
			c = '_';
			lossy = 1;
		}
		if (last_dot < 0 || i < first_dot) {
			if (s->basis_len < 8)
				s->basis[s->basis_len++] = (uint8_t)c;
		} else if (i > last_dot && ext < 3) {
			s->name[8 + ext++] = (uint8_t)c;
		}
	}
	if (s->basis_len == 0)
		s->basis[s->basis_len++] = '_';
	memcpy(s->name, s->basis, s->basis_len);
	int same, same_upper;
	compare_shown(s, units, len, &same, &same_upper);
	s->exact = same && !lossy;
	s->fits = same_upper && !lossy;
}

/* Digits of k in decimal. */
static size_t digits(uint32_t k)
{
	size_t d = 1;
	while (k >= 10) {
		k /= 10;
		d++;
	}
	return d;
}

uint32_t fat_name_tail_of(const struct fat_name_short *s, const uint8_t name[11])
{
	if (memcmp(name + 8, s->name + 8, 3) != 0)
		return 0;
	int tilde = -1, end = 8;
	while (end > 0 && name[end - 1] == ' ')
		end--;
	for (int i = 0; i < end; i++)
		if (name[i] == '~')
			tilde = i;
	if (tilde < 0 || tilde + 1 >= end || name[tilde + 1] == '0')
		return 0;
	uint32_t k = 0;
	for (int i = tilde + 1; i < end; i++) {
		if (name[i] < '0' || name[i] > '9')
			return 0;
		k = k * 10 + (uint32_t)(name[i] - '0');
	}
	size_t d = (size_t)(end - tilde - 1);
	size_t keep = s->basis_len < 7 - d ? s->basis_len : 7 - d;
	if ((size_t)tilde != keep || memcmp(name, s->basis, keep) != 0)
		return 0;
	return k;
}

void fat_name_set_tail(struct fat_name_short *s, uint32_t k)
{
	size_t d = digits(k);
	size_t keep = s->basis_len < 7 - d ? s->basis_len : 7 - d;
	memset(s->name, ' ', 8);
	memcpy(s->name, s->basis, keep);
	s->name[keep] = '~';
	for (size_t i = d; i > 0; i--, k /= 10)
		s->name[keep + i] = (uint8_t)('0' + k % 10);
	s->exact = 0;
}
