/* TEST_SEQ traffic: payloads derived from (sender, seq) and checksummed, so a
 * receiver can tell a lost, duplicated, reordered or torn message from a good
 * one.  Shared by the host tests and the kernel's all-pairs test. */
#ifndef LIB_URPC_TEST_SEQ_H
#define LIB_URPC_TEST_SEQ_H

#include <stdbool.h>
#include <stdint.h>
#include <tessera/msg.h>

/* Fills m as message `seq` from core `sender`, checksum included. */
void urpc_test_seq_fill(struct msg_test_seq *m, uint32_t sender, uint64_t seq);

/* The checksum of every field of m except checksum itself. */
uint32_t urpc_test_seq_sum(const struct msg_test_seq *m);

/* True when m is exactly what urpc_test_seq_fill(m, sender, seq) makes. */
bool urpc_test_seq_check(const struct msg_test_seq *m, uint32_t sender, uint64_t seq);

#endif
