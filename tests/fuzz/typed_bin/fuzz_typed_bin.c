/* Fuzz target: lib/typed's binary decoders, for messages and for type
 * descriptors.  Input: a first byte; if it is even, the rest is a message
 * of the tests' type (tests/host/typed/demo_args.schema); if odd, two bytes
 * (little-endian) give the length of a descriptor that follows, and the
 * rest is a message of the type it describes.  A descriptor that decodes
 * is valid and encodes back to exactly its bytes; a message that decodes
 * is a valid value, and encodes back to exactly its bytes (the encoding
 * is canonical).  Nothing is read outside the input (ASan).
 */
#include <demo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <typed/internal.h>

/* Encodes again; the bytes must be the ones decoded. */
static void same_message(const struct typed_value *v, const uint8_t *msg, size_t len)
{
	enum err e;
	struct typed_error err;
	uint8_t *again = malloc(len ? len : 1);
	if (typed_encode(v, again, len, &e, &err) != len || e != ERR_OK ||
	    memcmp(again, msg, len) != 0)
		abort();
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char mem[8u << 20];
	struct typed_arena a;
	struct typed_error err;
	const struct typed_type *t = &demo_type;
	struct typed_value *v;
	if (size < 1)
		return 0;
	const uint8_t *msg = data + 1;
	size_t len = size - 1;
	typed_arena_init(&a, mem, sizeof mem);
	if (data[0] & 1) {
		if (size < 3)
			return 0;
		size_t dlen = (size_t)data[1] | (size_t)data[2] << 8;
		if (dlen > size - 3)
			dlen = size - 3;
		const uint8_t *desc = data + 3;
		if (typed_desc_decode(desc, dlen, &a, &t, &err) != ERR_OK)
			return 0;
		enum err e;
		uint8_t *again = malloc(dlen ? dlen : 1);
		if (typed_desc_check(t, &err) != ERR_OK ||
		    typed_desc_encode(t, true, again, dlen, &e) != dlen || e != ERR_OK ||
		    memcmp(again, desc, dlen) != 0)
			abort(); /* canonical */
		free(again);
		msg = desc + dlen;
		len = size - 3 - dlen;
	}
	if (typed_decode(t, msg, len, &a, &v, &err) != ERR_OK)
		return 0;
	if (!typed_value_valid(v, &err))
		abort();
	same_message(v, msg, len);
	char text[256];
	typed_print(v, text, sizeof text);
	return 0;
}
