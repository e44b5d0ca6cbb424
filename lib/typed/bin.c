/* The binary encoding of values for messages and channels: the type's
 * identity, then the value (layout: lib/typed/README.md, "Messages").
 * Decoding checks the identity and every bound and never reads past the
 * end of the buffer. */
#include <fmt/fmt.h>
#include <string/mem.h>

#include "internal.h"

/* ---- Paths for messages: "programs[1].core" ---- */

struct vpath {
	char s[TYPED_PATH_MAX];
	size_t len;
};

static size_t vp_push(struct vpath *p, const char *name, uint32_t index)
{
	size_t old = p->len;
	if (name)
		p->len += fmt_snprintf(p->s + old, sizeof p->s - old, "%s%s", old ? "." : "", name);
	else
		p->len += fmt_snprintf(p->s + old, sizeof p->s - old, "[%u]", index);
	if (p->len >= sizeof p->s)
		p->len = sizeof p->s - 1;
	return old;
}

static void vp_pop(struct vpath *p, size_t old)
{
	p->len = old;
	p->s[old] = '\0';
}

/* ---- Checking a value tree ---- */

static bool valid(const struct typed_value *v, const struct typed_type *t, struct vpath *p,
                  struct typed_error *err, unsigned depth)
{
	char why[TYPED_MSG_MAX];
	if (!v->type || v->type->kind != t->kind || depth > TYPED_MAX_DEPTH) {
		typed_error_set(err, 0, 0, p->s, "a value of another type");
		return false;
	}
	switch (t->kind) {
	case TYPED_OPTIONAL: return !v->some || valid(v->some, t->inner, p, err, depth + 1);
	case TYPED_LIST:
	case TYPED_RECORD: {
		bool rec = t->kind == TYPED_RECORD;
		uint32_t want = rec ? t->rec.count : t->list.max_count;
		if (rec ? v->list.count != want : v->list.count > want) {
			typed_error_set(err, 0, 0, p->s, "%u %s; %s %u", v->list.count,
			                rec ? "fields" : "items", rec ? "the type has" : "at most",
			                want);
			return false;
		}
		if (v->list.count && !v->list.items) {
			typed_error_set(err, 0, 0, p->s, "no items");
			return false;
		}
		for (uint32_t i = 0; i < v->list.count; i++) {
			size_t old = vp_push(p, rec ? t->rec.fields[i].name : NULL, i);
			bool ok =
			        valid(&v->list.items[i], rec ? t->rec.fields[i].type : t->list.elem,
			              p, err, depth + 1);
			vp_pop(p, old);
			if (!ok)
				return false;
		}
		return true;
	}
	default:
		if (typed_scalar_valid(v, why, sizeof why))
			return true;
		typed_error_set(err, 0, 0, p->s, "%s", why);
		return false;
	}
}

bool typed_value_valid(const struct typed_value *v, struct typed_error *err)
{
	struct vpath p = {"", 0};
	return v && valid(v, v->type, &p, err, 0);
}

/* ---- Writing ---- */

void typed_value_write(const struct typed_value *v, struct bsink *s)
{
	switch (v->type->kind) {
	case TYPED_BOOL: bs_u8(s, v->b ? 1 : 0); break;
	case TYPED_INT: bs_varint(s, zigzag(v->i)); break;
	case TYPED_STRING:
	case TYPED_PATH:
		bs_varint(s, v->str.len);
		bs_put(s, v->str.s, v->str.len);
		break;
	case TYPED_CAP: bs_varint(s, v->cap.slot); break;
	case TYPED_LIST:
	case TYPED_RECORD:
		if (v->type->kind == TYPED_LIST)
			bs_varint(s, v->list.count);
		for (uint32_t i = 0; i < v->list.count; i++)
			typed_value_write(&v->list.items[i], s);
		break;
	case TYPED_OPTIONAL:
		bs_u8(s, v->some ? 1 : 0);
		if (v->some)
			typed_value_write(v->some, s);
		break;
	default: bs_varint(s, v->u); break; /* UINT SIZE DURATION ENUM */
	}
}

/* A capability must have a slot to be encoded. */
static enum err resolved(void *ctx, struct typed_value *cap)
{
	if (cap->cap.slot != TYPED_SLOT_NONE)
		return ERR_OK;
	*(const char **)ctx = cap->cap.name ? cap->cap.name : "";
	return ERR_INVAL;
}

size_t typed_encode(const struct typed_value *v, uint8_t *buf, size_t size, enum err *e,
                    struct typed_error *err)
{
	struct typed_error scratch;
	const char *cap = NULL;
	if (!err)
		err = &scratch;
	if (!typed_value_valid(v, err)) {
		*e = ERR_INVAL;
		return 0;
	}
	if (typed_each_cap((struct typed_value *)v, resolved, &cap) != ERR_OK) {
		typed_error_set(err, 0, 0, "", "capability %s is not resolved to a slot", cap);
		*e = ERR_INVAL;
		return 0;
	}
	struct bsink s = {buf, size, 0, NULL};
	uint64_t id = typed_desc_id(v->type);
	for (int i = 0; i < TYPED_ID_BYTES; i++)
		bs_u8(&s, (uint8_t)(id >> (8 * i)));
	typed_value_write(v, &s);
	*e = s.len > size ? ERR_NOSPC : ERR_OK;
	if (*e)
		typed_error_set(err, 0, 0, "", "a message of %zu bytes does not fit %zu", s.len,
		                size);
	return s.len;
}

/* ---- Reading ---- */

struct vdec {
	const uint8_t *at, *end, *base;
	const uint8_t *value; /* where the value being read starts (for errors) */
	struct typed_arena *arena;
	struct typed_error *err;
	enum err status;
	struct vpath path;
};

static bool vfail(struct vdec *d, enum err status, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static bool vfail(struct vdec *d, enum err status, const char *fmt, ...)
{
	if (d->status != ERR_OK)
		return false;
	char msg[TYPED_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	d->status = status;
	typed_error_set(d->err, 0, 0, d->path.s, "%s (byte %zu)", msg,
	                (size_t)(d->value - d->base));
	return false;
}

static bool rd_varint(struct vdec *d, uint64_t *v)
{
	return varint_get(&d->at, d->end, v) ||
	       vfail(d, ERR_CORRUPT, "cut short, or a varint that is not minimal");
}

static bool rd_flag(struct vdec *d, const char *what, bool *v)
{
	if (d->at >= d->end)
		return vfail(d, ERR_CORRUPT, "cut short");
	uint8_t c = *d->at;
	if (c > 1)
		return vfail(d, ERR_CORRUPT, "%s byte %u is neither 0 nor 1", what, c);
	d->at++;
	*v = c;
	return true;
}

static void *valloc(struct vdec *d, size_t n)
{
	void *p = typed_arena_alloc(d->arena, n);
	if (!p)
		vfail(d, ERR_NOMEM, "out of memory (an arena of %zu bytes is too small)",
		      d->arena->size);
	return p;
}

static bool read_value(struct vdec *d, const struct typed_type *t, struct typed_value *v,
                       unsigned depth);

static bool read_text(struct vdec *d, const struct typed_type *t, struct typed_value *v)
{
	uint64_t n;
	if (!rd_varint(d, &n))
		return false;
	if (n > t->str.max_len)
		return vfail(d, ERR_CORRUPT, "a string of %llu bytes is longer than %u",
		             (unsigned long long)n, t->str.max_len);
	if (n > (size_t)(d->end - d->at))
		return vfail(d, ERR_CORRUPT, "cut short");
	char *s = valloc(d, n + 1);
	if (!s)
		return false;
	memcpy(s, d->at, n);
	d->at += n;
	v->str.s = s;
	v->str.len = (uint32_t)n;
	return true;
}

static bool read_items(struct vdec *d, const struct typed_type *t, struct typed_value *v,
                       unsigned depth)
{
	bool rec = t->kind == TYPED_RECORD;
	uint64_t n = t->rec.count;
	if (!rec) {
		if (!rd_varint(d, &n))
			return false;
		if (n > t->list.max_count)
			return vfail(d, ERR_CORRUPT, "%llu items; at most %u are allowed",
			             (unsigned long long)n, t->list.max_count);
		/* every item but an empty record takes a byte at least */
		if (t->list.elem->kind != TYPED_RECORD && n > (size_t)(d->end - d->at))
			return vfail(d, ERR_CORRUPT, "cut short");
	}
	v->list.count = (uint32_t)n;
	if (n && !(v->list.items = valloc(d, n * sizeof *v->list.items)))
		return false;
	for (uint32_t i = 0; i < n; i++) {
		size_t old = vp_push(&d->path, rec ? t->rec.fields[i].name : NULL, i);
		bool ok = read_value(d, rec ? t->rec.fields[i].type : t->list.elem,
		                     &v->list.items[i], depth + 1);
		vp_pop(&d->path, old);
		if (!ok)
			return false;
	}
	return true;
}

static bool read_value(struct vdec *d, const struct typed_type *t, struct typed_value *v,
                       unsigned depth)
{
	uint64_t x;
	char why[TYPED_MSG_MAX];
	*v = (struct typed_value){.type = t};
	d->value = d->at;
	if (depth > TYPED_MAX_DEPTH)
		return vfail(d, ERR_CORRUPT, "nested too deep");
	switch (t->kind) {
	case TYPED_BOOL: return rd_flag(d, "bool", &v->b);
	case TYPED_STRING:
	case TYPED_PATH:
		if (!read_text(d, t, v))
			return false;
		break;
	case TYPED_LIST:
	case TYPED_RECORD: return read_items(d, t, v, depth);
	case TYPED_OPTIONAL: {
		bool some;
		if (!rd_flag(d, "optional", &some))
			return false;
		if (!some)
			return true;
		return (v->some = valloc(d, sizeof *v->some)) &&
		       read_value(d, t->inner, v->some, depth + 1);
	}
	case TYPED_CAP:
		if (!rd_varint(d, &x))
			return false;
		if (x >= TYPED_SLOT_NONE)
			return vfail(d, ERR_CORRUPT, "capability slot %llu is out of range",
			             (unsigned long long)x);
		v->cap.slot = (uint32_t)x;
		return true;
	case TYPED_FUNC: return vfail(d, ERR_CORRUPT, "a function has no value");
	default:
		if (!rd_varint(d, &x))
			return false;
		if (t->kind == TYPED_INT)
			v->i = unzigzag(x);
		else
			v->u = x;
	}
	if (typed_scalar_valid(v, why, sizeof why))
		return true;
	return vfail(d, ERR_CORRUPT, "%s", why);
}

enum err typed_value_read(const struct typed_type *t, const uint8_t **at, const uint8_t *end,
                          struct typed_arena *a, struct typed_value *out, struct typed_error *err,
                          const uint8_t *base)
{
	struct vdec d = {*at, end, base, *at, a, err, ERR_OK, {"", 0}};
	read_value(&d, t, out, 0);
	*at = d.at;
	return d.status;
}

/* A message of type t at buf; used NULL: it ends at len, else its length
 * to *used (bytes after it are another's). */
static enum err decode(const struct typed_type *t, const uint8_t *buf, size_t len, size_t *used,
                       struct typed_arena *a, struct typed_value **out, struct typed_error *err)
{
	struct vdec d = {buf, buf + len, buf, buf, a, err, ERR_OK, {"", 0}};
	uint64_t id = 0, want = typed_desc_id(t);
	*out = NULL;
	if (len < TYPED_ID_BYTES)
		return vfail(&d, ERR_CORRUPT, "a message of %zu bytes has no type identity", len),
		       d.status;
	for (int i = 0; i < TYPED_ID_BYTES; i++)
		id |= (uint64_t)buf[i] << (8 * i);
	if (id != want) {
		typed_error_set(err, 0, 0, "", "a message of type %016llx, not %016llx",
		                (unsigned long long)id, (unsigned long long)want);
		return ERR_CORRUPT;
	}
	d.at += TYPED_ID_BYTES;
	struct typed_value *v = valloc(&d, sizeof *v);
	if (v && read_value(&d, t, v, 0) && !used && d.at != d.end) {
		d.value = d.at;
		vfail(&d, ERR_CORRUPT, "%zu bytes after the value", (size_t)(d.end - d.at));
	}
	if (d.status == ERR_OK)
		*out = v;
	if (used)
		*used = d.status == ERR_OK ? (size_t)(d.at - buf) : 0;
	return d.status;
}

enum err typed_decode(const struct typed_type *t, const uint8_t *buf, size_t len,
                      struct typed_arena *a, struct typed_value **out, struct typed_error *err)
{
	return decode(t, buf, len, NULL, a, out, err);
}

enum err typed_decode_prefix(const struct typed_type *t, const uint8_t *buf, size_t len,
                             size_t *used, struct typed_arena *a, struct typed_value **out,
                             struct typed_error *err)
{
	return decode(t, buf, len, used, a, out, err);
}
