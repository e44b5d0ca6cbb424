/* mkimage: the tree of ESP paths given on the command line, checked before
 * anything is written.  Names compare ignoring ASCII case, as FAT does. */
#include <fat/fat_write.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <string/mem.h>

#include "mkimage.h"

/* Allocates a node named name (len bytes) under parent; exits on OOM. */
static struct mkimage_node *new_node(struct mkimage_node *parent, const char *name, size_t len,
                                     const char *path, size_t path_len)
{
	struct mkimage_node *n = calloc(1, sizeof *n);
	if (!n || !(n->name = strndup(name, len)) || !(n->path = strndup(path, path_len))) {
		mkimage_error("out of memory");
		exit(1);
	}
	n->parent = parent;
	if (parent->last_child)
		parent->last_child->next = n;
	else
		parent->child = n;
	parent->last_child = n;
	return n;
}

static struct mkimage_node *find_child(struct mkimage_node *dir, const char *name)
{
	for (struct mkimage_node *c = dir->child; c; c = c->next)
		if (!mem_strcasecmp(c->name, name))
			return c;
	return NULL;
}

/* Checks one component (len bytes at name) of path. */
static int check_component(const char *path, const char *name, size_t len, int depth)
{
	char buf[1024];
	const char *why = NULL;
	if (len == 0) {
		mkimage_error("%s: empty path component (paths are /DIR/.../NAME)", path);
		return -1;
	}
	if (depth > MKIMAGE_MAX_DEPTH) {
		mkimage_error("%s: path too deep (more than %d levels)", path, MKIMAGE_MAX_DEPTH);
		return -1;
	}
	if (len >= sizeof buf) {
		mkimage_error("%s: name not representable in FAT: longer than 255 characters",
		              path);
		return -1;
	}
	memcpy(buf, name, len);
	buf[len] = 0;
	if (fat_write_check_name(buf, &why) != ERR_OK) {
		mkimage_error("%s: name not representable in FAT: \"%s\" %s", path, buf, why);
		return -1;
	}
	return 0;
}

/* Finds or creates the directory for component name under dir. */
static struct mkimage_node *enter_dir(struct mkimage_node *dir, const char *name, size_t len,
                                      const char *path, size_t path_len)
{
	char buf[1024];
	memcpy(buf, name, len);
	buf[len] = 0;
	struct mkimage_node *c = find_child(dir, buf);
	if (!c)
		return new_node(dir, name, len, path, path_len);
	if (c->host) {
		mkimage_error("%.*s is a file, but %s puts something inside it", (int)path_len,
		              path, path);
		return NULL;
	}
	return c;
}

/* Adds the last component: a file, or (host NULL) a directory. */
static int add_leaf(struct mkimage_node *dir, const char *name, size_t len, const char *path,
                    const char *host, uint64_t size)
{
	char buf[1024];
	memcpy(buf, name, len);
	buf[len] = 0;
	struct mkimage_node *c = find_child(dir, buf);
	if (c && (host || c->host)) {
		if (!strcmp(c->path, path))
			mkimage_error("%s: duplicate path", path);
		else
			mkimage_error("%s: duplicate path (FAT names ignore case: same as %s)",
			              path, c->path);
		return -1;
	}
	if (c)
		return 0; /* a directory given twice, or already implied */
	c = new_node(dir, name, len, path, strlen(path));
	c->host = host;
	c->size = size;
	return 0;
}

int mkimage_tree_add(struct mkimage_node *root, const char *path, const char *host, uint64_t size)
{
	if (path[0] != '/') {
		mkimage_error("%s: ESP paths must start with '/'", path);
		return -1;
	}
	struct mkimage_node *dir = root;
	const char *p = path + 1;
	for (int depth = 1;; depth++) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (check_component(path, p, len, depth) < 0)
			return -1;
		if (!slash)
			return add_leaf(dir, p, len, path, host, size);
		dir = enter_dir(dir, p, len, path, (size_t)(slash - path));
		if (!dir)
			return -1;
		p = slash + 1;
	}
}

void mkimage_tree_free(struct mkimage_node *root)
{
	struct mkimage_node *c = root->child;
	while (c) {
		struct mkimage_node *next = c->next;
		mkimage_tree_free(c);
		free(c->name);
		free(c->path);
		free(c);
		c = next;
	}
	root->child = root->last_child = NULL;
}

uint32_t mkimage_tree_entries(const struct mkimage_node *dir)
{
	uint32_t n = 2; /* "." and "..", or the root's label and slack */
	for (const struct mkimage_node *c = dir->child; c; c = c->next)
		n += fat_write_name_slots(c->name);
	return n;
}
