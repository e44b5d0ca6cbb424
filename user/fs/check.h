/* The file service's self-checks (user/fs/README.md): in-process clients
 * that speak the protocol (fsproto.h) to the service's core, as a client
 * over a channel would.  Each returns the number of checks that failed
 * and says what on the log.
 */
#ifndef USER_FS_CHECK_H
#define USER_FS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fsrv.h"

/* s served to the checks' clients (their replies come back here). */
void check_init(struct fsrv *s, struct fs_vol *vol);

/* One request of client; its reply (FS_DATA bytes checksummed into
 * check_sum_of's running sum). */
struct fs_reply *check_ask(struct fsrv *s, unsigned client, uint16_t type, const void *req);
struct fs_reply *check_ask_path(struct fsrv *s, unsigned client, uint16_t type, uint32_t dir,
                                uint32_t arg, const char *path);

/* Reads the file behind handle h (size bytes) through the protocol; its
 * cksum(1) checksum. */
uint32_t check_read_sum(struct fsrv *s, unsigned client, uint32_t h, uint32_t size);

/* The same, only counting the bytes that arrive (the bench). */
uint64_t check_read_count(struct fsrv *s, unsigned client, uint32_t h, uint32_t size);

/* Every "CRC SIZE PATH" line of sums (n bytes; cksum(1)'s output, PATH
 * from the volume's root) walked to with a read-only handle on root and
 * read; its checksum and size compared.  No file at all is a failure. */
unsigned check_sums(struct fsrv *s, uint32_t root, const char *sums, size_t n);

/* A client confined to dir cannot leave it (escape: a path from dir that
 * goes up), create there with read rights, or use a handle of client 0's
 * (other: client 0's root). */
unsigned check_confined(struct fsrv *s, uint32_t other, const char *dir, const char *escape);

/* A writer creates, writes, reads back, renames and removes. */
unsigned check_writer(struct fsrv *s);

#endif
