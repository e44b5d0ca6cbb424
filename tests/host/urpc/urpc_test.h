/* Helpers shared by the URPC host tests. */
#ifndef TESTS_HOST_URPC_TEST_H
#define TESTS_HOST_URPC_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <tessera/urpc.h>

/* A one-way channel on its own heap region. */
struct urpc_test_chan {
	void *mem;
	struct urpc_tx tx;
	struct urpc_rx rx;
};

/* 64-byte aligned memory filled with garbage (free() it). */
void *urpc_test_alloc(size_t size);

/* Allocates and initialises a region, attaches both ends. */
enum err urpc_test_chan_open(struct urpc_test_chan *c, uint32_t slots, uint32_t first_seq);

/* Frees the region. */
void urpc_test_chan_close(struct urpc_test_chan *c);

#endif
