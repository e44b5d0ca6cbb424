/* The file service's protocol (user/fs/README.md): messages over a channel
 * (rt/chan.h, 56-byte urpc payloads).  A client names files and
 * directories by handles, the service's capabilities: a handle is valid
 * only on the channel it was given on, and carries rights that can only
 * shrink.  A client starts with the directory handles it was granted
 * (handle 1, ...) and reaches only what is below them: paths are relative
 * to a directory handle and ".." is refused.
 *
 * Every request gets one FS_REPLY (after any FS_DATA messages a read
 * sends); err is an enum err.  Requests:
 *   FS_WALK    struct fs_req_path: dir, rights wanted, path -> handle
 *   FS_CREATE  struct fs_req_path: dir, FS_KIND_*, name    -> handle
 *   FS_READ    struct fs_req_io: h, off, len -> FS_DATA * n, reply size (at
 *              most FS_READ_MAX bytes a request: a longer read takes several)
 *   FS_WRITE   struct fs_req_io: h, off, len <= FS_IO_MAX, data -> size
 *   FS_TRUNC   struct fs_req_io: h, off = the new size
 *   FS_REMOVE  struct fs_req_path: dir, FS_KIND_*, name
 *   FS_RENAME  two messages: struct fs_req_path (dir, 0, from), then
 *              (dir, 0, to); one reply
 *   FS_LIST    struct fs_req_path: dir, cursor in rights -> attr, size,
 *              next cursor, name (first FS_REPLY_NAME bytes); NOENT at the end
 *   FS_DERIVE  struct fs_req_io: h, off = rights -> a new handle
 *   FS_CLOSE   struct fs_req_io: h
 *   FS_DISK    no fields (a zeroed payload) -> FS_DISK_INFO, FS_DISK_PART *
 *              n, reply size n: the disk the volume is on and its GPT
 *              partitions (UNSUPPORTED: the volume is on no disk)
 *
 * Handles are per client: a number names a handle of the client using it
 * only (every client's first handle, its root, is 1), so another client's
 * handle cannot be named.  A channel that carries several clients' requests
 * (init's, which passes on the requests of its control clients) says whose
 * the next ones are with FS_CLIENT (struct fs_client: a tag below
 * FS_CLIENTS; a tag seen for the first time gets a handle on the root with
 * every right) and ends a client with FS_FORGET (its handles closed, its
 * tag fresh again); neither is answered, and init never passes them on
 * from a client.  Requests before any FS_CLIENT are tag 0's.
 */
#ifndef USER_FS_FSPROTO_H
#define USER_FS_FSPROTO_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/urpc.h>

enum fs_msg_type {
	FS_WALK = 0x4600,
	FS_CREATE,
	FS_READ,
	FS_WRITE,
	FS_TRUNC,
	FS_REMOVE,
	FS_RENAME,
	FS_LIST,
	FS_DERIVE,
	FS_CLOSE,
	FS_DISK,
	FS_CLIENT = 0x4640, /* the channel's own (init's): not requests */
	FS_FORGET,
	FS_DATA = 0x4680,
	FS_REPLY,
	FS_DISK_INFO,
	FS_DISK_PART,
};

/* Rights of a handle. */
#define FS_R_READ   0x01u /* read a file */
#define FS_R_WRITE  0x02u /* write or truncate a file */
#define FS_R_WALK   0x04u /* look up and list below a directory */
#define FS_R_CREATE 0x08u /* create in a directory (rename into it) */
#define FS_R_REMOVE 0x10u /* remove from a directory (rename out of it) */
#define FS_R_ALL    0x1fu

#define FS_KIND_FILE 0u
#define FS_KIND_DIR  1u

#define FS_PATH_MAX   48     /* bytes of a path in one request, NUL-padded */
#define FS_IO_MAX     40     /* bytes written by one FS_WRITE */
#define FS_READ_MAX   65536u /* bytes one FS_READ returns at most */
#define FS_DATA_MAX   48     /* bytes of one FS_DATA */
#define FS_REPLY_NAME 32
#define FS_CLIENTS    8 /* tags FS_CLIENT may name */

struct fs_req_path {
	uint32_t dir;
	uint32_t arg; /* rights, kind or cursor */
	char path[FS_PATH_MAX];
};

struct fs_req_io {
	uint32_t h;
	uint32_t len;
	uint64_t off;
	uint8_t data[FS_IO_MAX];
};

struct fs_data {
	uint32_t len;
	uint32_t unused;
	uint8_t data[FS_DATA_MAX];
};

struct fs_reply {
	uint16_t err; /* enum err */
	uint8_t attr; /* FAT_ATTR_* */
	uint8_t unused;
	uint32_t handle;
	uint32_t size;
	uint32_t rights;
	uint32_t cursor;
	uint32_t unused2;
	char name[FS_REPLY_NAME];
};

/* FS_CLIENT, FS_FORGET */
struct fs_client {
	uint32_t tag;
};

/* FS_DISK's first answer: the disk under the volume. */
struct fs_disk {
	uint64_t sectors;
	uint32_t sector_size; /* bytes */
	uint32_t parts;       /* FS_DISK_PART messages that follow */
	char driver[8];       /* its driver's module: "vblk", "ahci", "ramdisk" */
	char model[32];       /* what the driver says it drives */
};

/* One GPT partition (UEFI 2.10 §5.3.3), in array order. */
struct fs_disk_part {
	uint32_t index; /* 1-based, in the partition array */
	uint32_t reserved;
	uint64_t first_lba, last_lba; /* inclusive */
	uint8_t type[16];             /* the type GUID, in its on-disk byte order */
	uint8_t reserved2[16];
};

_Static_assert(sizeof(struct fs_disk) == URPC_PAYLOAD_MAX, "one message");
_Static_assert(sizeof(struct fs_disk_part) == URPC_PAYLOAD_MAX, "one message");
_Static_assert(sizeof(struct fs_req_path) == URPC_PAYLOAD_MAX, "one message");
_Static_assert(sizeof(struct fs_req_io) == URPC_PAYLOAD_MAX, "one message");
_Static_assert(sizeof(struct fs_data) == URPC_PAYLOAD_MAX, "one message");
_Static_assert(sizeof(struct fs_reply) == URPC_PAYLOAD_MAX, "one message");

#endif
