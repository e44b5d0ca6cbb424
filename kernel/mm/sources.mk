# Memory management (kernel/mm): per-core heap, address spaces, page-table
# caps, the cross-core memory protocols.  Included by kernel/build.mk after
# KERNEL_SRCS is defined; tests (*_test.c) go into the test kernel only.
MM_SRCS := kernel/mm/heap.c kernel/mm/kheap.c kernel/mm/vm.c kernel/mm/vspace.c \
	kernel/mm/mm.c kernel/mm/memx.c kernel/mm/borrow.c kernel/mm/shootdown.c kernel/mm/xcore.c
MM_TEST_SRCS := $(sort $(wildcard kernel/mm/*_test.c))

KERNEL_SRCS += $(MM_SRCS)
KERNEL_TEST_ONLY += $(MM_TEST_SRCS)
