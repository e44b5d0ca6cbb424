/* The file service's core: handles (capabilities on files and directories
 * with rights, per client) and the requests of fsproto.h, over lib/fat's
 * file system.  No channels here: replies go out through a callback, so
 * the host tests drive it directly and the program (main.c) wires it to
 * rt/chan.  Freestanding.
 */
#ifndef USER_FS_FSRV_H
#define USER_FS_FSRV_H

#include <fat/fs.h>
#include <stdint.h>
#include <tessera/err.h>
#include <tessera/urpc.h>

#include "fsproto.h"

#define FSRV_HANDLES 64 /* in all, for every client */
#define FSRV_CLIENTS FS_CLIENTS
#define FSRV_PARTS   8 /* partitions FS_DISK lists at most */

/* A handle: number is what its client calls it (fsproto.h: per client). */
struct fsrv_handle {
	int used;
	unsigned client;
	uint32_t number;
	uint32_t rights;
	struct fs_node node;
};

/* The disk FS_DISK describes (filled by the program: fsdisk.h). */
struct fsrv_disk {
	struct fs_disk info; /* info.parts: the partitions listed (at most FSRV_PARTS) */
	struct fs_disk_part parts[FSRV_PARTS];
};

/* Sends one reply or data message to client. */
typedef enum err (*fsrv_send_fn)(void *ctx, unsigned client, uint16_t type, const void *payload,
                                 size_t len);

struct fsrv {
	struct fs_vol *vol;
	fsrv_send_fn send;
	void *ctx;
	struct fsrv_handle h[FSRV_HANDLES]; /* h[0] unused: handle 0 is never valid */
	/* a rename's first half, per client */
	int rename_pending[FSRV_CLIENTS];
	uint32_t rename_dir[FSRV_CLIENTS];
	char rename_from[FSRV_CLIENTS][FS_PATH_MAX + 1];
	int rooted[FSRV_CLIENTS];     /* given its root (fsrv_root) */
	unsigned current;             /* the client of a shared channel's requests (FS_CLIENT) */
	const struct fsrv_disk *disk; /* NULL: FS_DISK is UNSUPPORTED */
};

void fsrv_init(struct fsrv *s, struct fs_vol *vol, fsrv_send_fn send, void *ctx);

/* Gives client a handle on the directory at path (from the volume's root)
 * with rights; *handle receives its number.  FULL no handle left. */
enum err fsrv_grant(struct fsrv *s, unsigned client, const char *path, uint32_t rights,
                    uint32_t *handle);

/* Serves one request of client; the reply goes out through send. */
enum err fsrv_serve(struct fsrv *s, unsigned client, const struct urpc_msg *m);

/* Gives client its root (handle 1, if it has no other handle yet: every
 * right on "/") unless it has it already.  FULL no handle left. */
enum err fsrv_root(struct fsrv *s, unsigned client);

/* Closes every handle of client and forgets its rename in flight; its next
 * fsrv_root gives it a root again. */
void fsrv_forget(struct fsrv *s, unsigned client);

/* One message of a channel that may carry several clients' requests
 * (fsproto.h): FS_CLIENT switches the client (giving a new one its
 * root), FS_FORGET ends one, anything else is served for the current
 * client.  INVAL a tag out of range (nothing changes). */
enum err fsrv_take(struct fsrv *s, const struct urpc_msg *m);

#endif
