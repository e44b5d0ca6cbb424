/* Fuzz target: include/tessera/msg.h's checked decoding of a received
 * message.  The input is the message as urpc_recv hands it over: u16 type,
 * u8 len, then the payload (up to 56 bytes, the rest zero).  Checks what
 * msg.h promises: msg_check accepts exactly the messages that their own
 * decoder accepts, each decoder refuses another type (ERR_TYPE) and a
 * wrong length (ERR_CORRUPT), and a decoded payload is the received bytes.
 */
#include <stdlib.h>
#include <string.h>
#include <tessera/msg.h>
#include <urpc/test_seq.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct urpc_msg in;
	memset(&in, 0, sizeof in);
	if (size < 3)
		return 0;
	in.type = (uint16_t)(data[0] | data[1] << 8);
	in.len = data[2];
	size_t n = size - 3 < URPC_PAYLOAD_MAX ? size - 3 : URPC_PAYLOAD_MAX;
	memcpy(in.payload, data + 3, n);
	enum err checked = msg_check(&in);
	int decoded = 0;
	if (!msg_type_name(in.type))
		abort();
#define TRY(NAME, name, ptype)                                                                  \
	{                                                                                       \
		ptype out;                                                                      \
		enum err e = msg_decode_##name(&in, &out);                                      \
		if (in.type != MSG_##NAME ? e != ERR_TYPE                                       \
		                          : e != (in.len == sizeof out ? ERR_OK : ERR_CORRUPT)) \
			abort();                                                                \
		if (e == ERR_OK && (decoded++ || memcmp(&out, in.payload, sizeof out)))         \
			abort();                                                                \
		if (e == ERR_OK && msg_payload_size(in.type) != sizeof out)                     \
			abort();                                                                \
	}
	MSG_TABLE(TRY)
#undef TRY
	if ((checked == ERR_OK) != (decoded == 1))
		abort();
	struct msg_test_seq seq;
	if (msg_decode_test_seq(&in, &seq) == ERR_OK)
		urpc_test_seq_check(&seq, seq.sender, seq.seq);
	return 0;
}
