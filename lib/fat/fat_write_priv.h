/* Internal to the FAT writer: cluster helpers shared by fat_write.c (the
 * volume) and fat_write_dir.c (directory entries).  Not an interface. */
#ifndef LIB_FAT_FAT_WRITE_PRIV_H
#define LIB_FAT_FAT_WRITE_PRIV_H

#include "fat.h"
#include "fat_disk.h"
#include "fat_write.h"

/* The first byte of cluster c. */
static inline uint8_t *fat_write_cluster(struct fat_writer *w, uint32_t c)
{
	return w->img + w->data_offset + (uint64_t)(c - 2) * w->cluster_bytes;
}

/* The FAT entry of cluster c. */
uint32_t fat_write_get(const struct fat_writer *w, uint32_t c);
void fat_write_set(struct fat_writer *w, uint32_t c, uint32_t v);

/* Hands out n contiguous clusters chained together and ending the chain;
 * zeroes them when zero is set.  ERR_NOSPC when they do not fit. */
enum err fat_write_alloc(struct fat_writer *w, uint32_t n, int zero, uint32_t *first);

/* A directory entry about to be added: the long entries and the short one
 * (its attribute, cluster and size still to be filled in). */
struct fat_write_entries {
	uint8_t raw[FAT_LFN_MAX_ENTRIES + 1][32];
	uint32_t count;
	uint32_t used;    /* entries already in the directory */
	uint32_t end;     /* cluster holding the first free entry, 0: none left */
	uint32_t end_off; /* its byte offset in that cluster */
	uint32_t last;    /* last cluster of the directory */
};

/* Checks name against the directory at cluster dir (ERR_EXIST for a
 * duplicate) and builds its entries with a unique short alias. */
enum err fat_write_dir_prepare(struct fat_writer *w, uint32_t dir, const char *name,
                               struct fat_write_entries *ents);

/* Appends prepared entries to their directory, growing it as needed. */
enum err fat_write_dir_commit(struct fat_writer *w, struct fat_write_entries *ents, uint8_t attr,
                              uint32_t cluster, uint32_t size);

#endif
