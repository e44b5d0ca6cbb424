/* FAT32 writer, directory half: name checks, duplicate detection, unique
 * short aliases ("NAME~N.EXT") and VFAT long entries, and appending them
 * to a directory's cluster chain.  Internal to fat_write.c.
 * Specification: Microsoft "FAT: General Overview of On-Disk Format" 1.03,
 * "FAT Long Directory Entries" and "Name Matching In Short & Long Names".
 */
#include <string/mem.h>

#include "fat_disk.h"
#include "fat_name.h"
#include "fat_write.h"
#include "fat_write_priv.h"

#define TAIL_MAX 4096 /* numeric tails ~1 .. ~4095 are tracked per basis */

/* A name being added, in the forms the directory scan compares against. */
struct new_name {
	uint16_t upper[FAT_LFN_MAX_UNITS]; /* the long name, ASCII upper-cased */
	uint16_t units[FAT_LFN_MAX_UNITS]; /* as given */
	int len;
	struct fat_name_short sn; /* its short name */
};

/* What a scan of the directory found. */
struct scan {
	int duplicate;
	int short_taken; /* short_name without a tail is in use */
	uint8_t tails[TAIL_MAX / 8];
	/* The entry holding short_name as the alias of another long name:
	 * its long entries and then its short entry, and that long name. */
	uint8_t *holder[FAT_LFN_MAX_ENTRIES + 1];
	int holder_n;
	uint16_t holder_name[FAT_LFN_MAX_UNITS];
	int holder_len;
};

enum err fat_write_check_name(const char *name, const char **why)
{
	const char *w = fat_name_check(name);
	if (why)
		*why = w;
	return w ? ERR_NAME : ERR_OK;
}

/* Records a short name that is the basis with a numeric tail. */
static void note_tail(const struct new_name *nn, const uint8_t *name, struct scan *sc)
{
	uint32_t k = fat_name_tail_of(&nn->sn, name);
	if (k && k < TAIL_MAX)
		sc->tails[k / 8] |= (uint8_t)(1u << (k % 8));
}

/* Remembers the entry set (long entries set[0..n), short entry at set[n])
 * whose alias is the new name's short name, with its long name. */
static void note_holder(struct scan *sc, uint8_t **set, int n, const uint16_t *lfn, int len)
{
	for (int i = 0; i <= n; i++)
		sc->holder[i] = set[i];
	sc->holder_n = n + 1;
	memcpy(sc->holder_name, lfn, (size_t)len * sizeof *lfn);
	sc->holder_len = len;
}

/* Compares an existing entry (short entry d, stored at set[n] after its
 * long entries; long name lfn of len units, or none) with the new name,
 * ignoring ASCII case. */
static void note_entry(const struct new_name *nn, const struct fat_sfn_entry *d, uint8_t **set,
                       int n, const uint16_t *lfn, int len, struct scan *sc)
{
	uint16_t buf[13];
	if (len <= 0) {
		char shown[13];
		fat_name_short_format(d->name, 0, shown);
		for (len = 0; shown[len]; len++)
			buf[len] = (uint8_t)shown[len];
		lfn = buf;
	}
	int same = len == nn->len;
	for (int i = 0; same && i < len; i++)
		same = fat_name_upper(lfn[i]) == nn->upper[i];
	sc->duplicate |= same;
	if (!memcmp(d->name, nn->sn.name, 11)) {
		sc->short_taken = 1;
		if (lfn != buf && !same)
			note_holder(sc, set, n, lfn, len);
	}
	note_tail(nn, d->name, sc);
}

/* Walks directory dir: records where its free space starts in ents and
 * what the new name collides with in sc. */
static void scan_dir(struct fat_writer *w, uint32_t dir, const struct new_name *nn,
                     struct fat_write_entries *ents, struct scan *sc)
{
	struct fat_name_lfn lfn;
	uint8_t *set[FAT_LFN_MAX_ENTRIES + 1]; /* where the current set's entries are */
	int set_n = 0;
	fat_name_lfn_reset(&lfn);
	uint32_t c = dir, off = 0;
	ents->used = 0;
	for (;;) {
		uint8_t *raw = fat_write_cluster(w, c) + off;
		if (raw[0] == FAT_DIRENT_END)
			break;
		ents->used++;
		if ((raw[11] & FAT_ATTR_LONG_MASK) == FAT_ATTR_LFN) {
			struct fat_lfn_entry l;
			memcpy(&l, raw, sizeof l);
			fat_name_lfn_add(&lfn, &l);
			if (l.ord & FAT_LFN_LAST)
				set_n = 0;
			if (set_n < FAT_LFN_MAX_ENTRIES)
				set[set_n++] = raw;
		} else {
			struct fat_sfn_entry d;
			memcpy(&d, raw, sizeof d);
			set[set_n] = raw;
			if (raw[0] != FAT_DIRENT_FREE && raw[0] != '.' &&
			    !(d.attr & FAT_ATTR_VOLUME_ID))
				note_entry(nn, &d, set, set_n, lfn.units,
				           fat_name_lfn_match(&lfn, d.name), sc);
			fat_name_lfn_reset(&lfn);
			set_n = 0;
		}
		off += 32;
		if (off == w->cluster_bytes) {
			uint32_t next = fat_write_get(w, c);
			if (next >= FAT32_EOC_MIN) {
				ents->end = 0;
				ents->last = c;
				return;
			}
			c = next;
			off = 0;
		}
	}
	ents->end = c;
	ents->end_off = off;
	for (ents->last = c; fat_write_get(w, ents->last) < FAT32_EOC_MIN;)
		ents->last = fat_write_get(w, ents->last);
}

/* Picks the short name: the basis as is when it fits and is free, else
 * the basis with the lowest free numeric tail. */
static enum err pick_alias(struct new_name *nn, const struct scan *sc)
{
	if (nn->sn.fits && !sc->short_taken)
		return ERR_OK;
	for (uint32_t k = 1; k < TAIL_MAX; k++) {
		if (!(sc->tails[k / 8] & (1u << (k % 8)))) {
			fat_name_set_tail(&nn->sn, k);
			return ERR_OK;
		}
	}
	return ERR_FULL;
}

/* Gives the entry holding the new name's short name as an alias another
 * alias (rewriting its short name and its long entries' checksums), so
 * that a name spelled like an alias names only its own file. */
static enum err realias(struct fat_writer *w, uint32_t dir, struct scan *sc)
{
	struct new_name old;
	struct scan sc2;
	struct fat_write_entries unused;
	old.len = sc->holder_len;
	for (int i = 0; i < old.len; i++) {
		old.units[i] = sc->holder_name[i];
		old.upper[i] = fat_name_upper(old.units[i]);
	}
	fat_name_basis(old.units, old.len, &old.sn);
	memset(&sc2, 0, sizeof sc2);
	scan_dir(w, dir, &old, &unused, &sc2); /* its current alias is marked taken */
	enum err e = pick_alias(&old, &sc2);
	if (e != ERR_OK)
		return e;
	uint8_t sum = fat_name_checksum(old.sn.name);
	memcpy(sc->holder[sc->holder_n - 1], old.sn.name, 11);
	for (int i = 0; i + 1 < sc->holder_n; i++)
		sc->holder[i][offsetof(struct fat_lfn_entry, checksum)] = sum;
	sc->short_taken = 0;
	return ERR_OK;
}

/* Builds the long entries (in on-disk order) and the short entry. */
static void build_entries(struct fat_writer *w, const struct new_name *nn,
                          struct fat_write_entries *ents)
{
	uint32_t n = nn->sn.exact ? 0 : (uint32_t)(nn->len + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS;
	uint8_t sum = fat_name_checksum(nn->sn.name);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t ord = n - i; /* the last piece of the name comes first */
		uint16_t units[FAT_LFN_CHARS];
		for (int k = 0; k < FAT_LFN_CHARS; k++) {
			int at = (int)(ord - 1) * FAT_LFN_CHARS + k;
			units[k] = at < nn->len ? nn->units[at] : at == nn->len ? 0 : 0xffff;
		}
		struct fat_lfn_entry l;
		memset(&l, 0, sizeof l);
		l.ord = (uint8_t)(ord | (i == 0 ? FAT_LFN_LAST : 0));
		l.attr = FAT_ATTR_LFN;
		l.checksum = sum;
		fat_name_lfn_put(&l, units);
		memcpy(ents->raw[i], &l, sizeof l);
	}
	struct fat_sfn_entry d;
	memset(&d, 0, sizeof d);
	memcpy(d.name, nn->sn.name, 11);
	d.create_time = d.write_time = w->time;
	d.create_date = d.write_date = d.access_date = w->date;
	memcpy(ents->raw[n], &d, sizeof d);
	ents->count = n + 1;
}

enum err fat_write_dir_prepare(struct fat_writer *w, uint32_t dir, const char *name,
                               struct fat_write_entries *ents)
{
	struct new_name nn;
	struct scan sc;
	if (dir < 2 || dir >= w->next_free)
		return ERR_INVAL;
	if (fat_write_check_name(name, NULL) != ERR_OK)
		return ERR_NAME;
	nn.len = fat_name_from_utf8(name, strlen(name), nn.units, FAT_LFN_MAX_UNITS);
	for (int i = 0; i < nn.len; i++)
		nn.upper[i] = fat_name_upper(nn.units[i]);
	fat_name_basis(nn.units, nn.len, &nn.sn);
	memset(&sc, 0, sizeof sc);
	scan_dir(w, dir, &nn, ents, &sc);
	if (sc.duplicate)
		return ERR_EXIST;
	enum err e = ERR_OK;
	if (nn.sn.fits && sc.short_taken && sc.holder_n)
		e = realias(w, dir, &sc);
	if (e == ERR_OK)
		e = pick_alias(&nn, &sc);
	if (e != ERR_OK)
		return e;
	build_entries(w, &nn, ents);
	if (ents->used + ents->count > FAT_DIR_MAX_BYTES / 32)
		return ERR_FULL;
	return ERR_OK;
}

uint32_t fat_write_name_slots(const char *name)
{
	struct new_name nn;
	if (fat_write_check_name(name, NULL) != ERR_OK)
		return 0;
	nn.len = fat_name_from_utf8(name, strlen(name), nn.units, FAT_LFN_MAX_UNITS);
	for (int i = 0; i < nn.len; i++)
		nn.upper[i] = fat_name_upper(nn.units[i]);
	fat_name_basis(nn.units, nn.len, &nn.sn);
	return nn.sn.exact ? 1 : 1 + (uint32_t)(nn.len + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS;
}

enum err fat_write_dir_commit(struct fat_writer *w, struct fat_write_entries *ents, uint8_t attr,
                              uint32_t cluster, uint32_t size)
{
	struct fat_sfn_entry d;
	uint8_t *last = ents->raw[ents->count - 1];
	memcpy(&d, last, sizeof d);
	d.attr = attr;
	d.cluster_hi = (uint16_t)(cluster >> 16);
	d.cluster_lo = (uint16_t)cluster;
	d.size = size;
	memcpy(last, &d, sizeof d);
	uint32_t c = ents->end, off = ents->end_off;
	for (uint32_t i = 0; i < ents->count; i++) {
		if (c != 0 && off == w->cluster_bytes) {
			uint32_t next = fat_write_get(w, c);
			c = next < FAT32_EOC_MIN ? next : 0; /* reserved clusters first */
			off = 0;
		}
		if (c == 0) {
			uint32_t next;
			enum err e = fat_write_alloc(w, 1, 1, &next);
			if (e != ERR_OK)
				return e;
			fat_write_set(w, ents->last, next);
			ents->last = c = next;
			off = 0;
		}
		memcpy(fat_write_cluster(w, c) + off, ents->raw[i], 32);
		off += 32;
	}
	return ERR_OK;
}
