/* The size-class heap; see heap.h. */
#include "heap.h"

#include <stdbool.h>

#define SLAB_MAGIC   0x534c4142u /* "SLAB" */
#define LARGE_MAGIC  0x4c524745u /* "LRGE" */
#define BITMAP_WORDS 4           /* up to 256 objects per page */

/* Object sizes, multiples of HEAP_ALIGN, about 1.5x apart; the last ones
 * are chosen so 4, 3 and 2 objects fill a page after the header. */
static const uint16_t class_size[HEAP_CLASSES] = {16,  32,  48,  64,  96,   128,  192,
                                                  256, 384, 512, 672, 1008, 1344, 2016};

/* The header at the start of every heap page or page block. */
struct heap_slab {
	uint32_t magic;
	uint8_t class_index;           /* slabs */
	uint8_t order;                 /* page blocks */
	uint16_t used;                 /* live objects */
	struct heap_slab *next, *prev; /* the class's partial list */
	uint64_t bitmap[BITMAP_WORDS]; /* bit i: object i allocated */
};
_Static_assert(sizeof(struct heap_slab) <= HEAP_HEADER_SIZE, "header fits its reserved bytes");
_Static_assert(HEAP_HEADER_SIZE % HEAP_ALIGN == 0, "objects after the header stay aligned");

int heap_class_of(size_t size, size_t *size_out)
{
	if (size == 0)
		size = 1;
	for (int i = 0; i < HEAP_CLASSES; i++) {
		if (size <= class_size[i]) {
			if (size_out)
				*size_out = class_size[i];
			return i;
		}
	}
	return -1;
}

unsigned heap_class_capacity(unsigned class_index)
{
	unsigned n = (HEAP_PAGE_SIZE - HEAP_HEADER_SIZE) / class_size[class_index];
	return n < BITMAP_WORDS * 64 ? n : BITMAP_WORDS * 64;
}

void heap_init(struct heap *h, const struct heap_pages *pages)
{
	*h = (struct heap){.pages = *pages};
}

static void list_remove(struct heap *h, struct heap_slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		h->partial[s->class_index] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static void list_push(struct heap *h, struct heap_slab *s)
{
	s->prev = NULL;
	s->next = h->partial[s->class_index];
	if (s->next)
		s->next->prev = s;
	h->partial[s->class_index] = s;
}

static struct heap_slab *new_slab(struct heap *h, unsigned class_index)
{
	struct heap_slab *s = h->pages.alloc(h->pages.ctx, 0);
	if (!s)
		return NULL;
	*s = (struct heap_slab){.magic = SLAB_MAGIC, .class_index = (uint8_t)class_index};
	h->pages_held++;
	list_push(h, s);
	return s;
}

static void *object_at(struct heap_slab *s, unsigned i)
{
	return (uint8_t *)s + HEAP_HEADER_SIZE + (size_t)i * class_size[s->class_index];
}

/* Takes the first free object of a slab that has one. */
static void *take(struct heap *h, struct heap_slab *s)
{
	unsigned cap = heap_class_capacity(s->class_index);
	for (unsigned w = 0; w < BITMAP_WORDS; w++) {
		if (s->bitmap[w] == UINT64_MAX)
			continue;
		unsigned i = w * 64 + (unsigned)__builtin_ctzll(~s->bitmap[w]);
		if (i >= cap)
			break;
		s->bitmap[w] |= 1ull << (i % 64);
		if (++s->used == cap)
			list_remove(h, s);
		return object_at(s, i);
	}
	return NULL; /* not reached: partial slabs have a free object */
}

/* Order of a page block holding size bytes after its header. */
static unsigned block_order(size_t size)
{
	unsigned order = 0;
	while (((size_t)HEAP_PAGE_SIZE << order) - HEAP_HEADER_SIZE < size)
		order++;
	return order;
}

void *heap_alloc(struct heap *h, size_t size)
{
	int c = heap_class_of(size, NULL);
	if (c >= 0) {
		struct heap_slab *s = h->partial[c] ? h->partial[c] : new_slab(h, (unsigned)c);
		if (!s)
			return NULL;
		h->objects++;
		return take(h, s);
	}
	if (size > ((size_t)HEAP_PAGE_SIZE << 18))
		return NULL;
	unsigned order = block_order(size);
	struct heap_slab *s = h->pages.alloc(h->pages.ctx, order);
	if (!s)
		return NULL;
	*s = (struct heap_slab){.magic = LARGE_MAGIC, .order = (uint8_t)order, .used = 1};
	h->pages_held += 1ull << order;
	h->objects++;
	return (uint8_t *)s + HEAP_HEADER_SIZE;
}

/* Frees object p of slab s, after checking it is one. */
static enum err free_small(struct heap *h, struct heap_slab *s, uintptr_t p)
{
	if (s->class_index >= HEAP_CLASSES)
		return ERR_INVAL;
	uintptr_t first = (uintptr_t)s + HEAP_HEADER_SIZE;
	size_t size = class_size[s->class_index];
	if (p < first || (p - first) % size)
		return ERR_INVAL;
	unsigned i = (unsigned)((p - first) / size);
	if (i >= heap_class_capacity(s->class_index) || !(s->bitmap[i / 64] >> (i % 64) & 1))
		return ERR_INVAL;
	if (s->used == heap_class_capacity(s->class_index))
		list_push(h, s);
	s->bitmap[i / 64] &= ~(1ull << (i % 64));
	h->objects--;
	if (--s->used == 0) {
		list_remove(h, s);
		s->magic = 0;
		h->pages_held--;
		h->pages.free(h->pages.ctx, s, 0);
	}
	return ERR_OK;
}

enum err heap_free(struct heap *h, void *p)
{
	if (!p)
		return ERR_OK;
	struct heap_slab *s = (void *)((uintptr_t)p & ~(uintptr_t)(HEAP_PAGE_SIZE - 1));
	if (s->magic == SLAB_MAGIC)
		return free_small(h, s, (uintptr_t)p);
	if (s->magic != LARGE_MAGIC || (uint8_t *)p != (uint8_t *)s + HEAP_HEADER_SIZE)
		return ERR_INVAL;
	unsigned order = s->order;
	s->magic = 0;
	h->pages_held -= 1ull << order;
	h->objects--;
	h->pages.free(h->pages.ctx, s, order);
	return ERR_OK;
}
