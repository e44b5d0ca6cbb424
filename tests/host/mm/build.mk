# Host tests for the pure parts of kernel/mm and the x86-64 page-table walker
# (ASan + UBSan).  They include kernel headers the way the kernel does.
$(HOST)/san/tests/host/mm/%.o $(HOST)/san/kernel/%.o: HOST_EXTRA_CFLAGS += -Ikernel \
	-Ikernel/arch/$(ARCH_DIR)/include

$(eval $(call host_test,test_mm_pt,tests/host/mm/test_pt.c kernel/arch/$(ARCH_DIR)/paging_pt.c))
$(eval $(call host_test,test_mm_heap,tests/host/mm/test_heap.c kernel/mm/heap.c))
$(eval $(call host_test,test_mm_xcore,tests/host/mm/test_xcore.c kernel/mm/memx.c \
	kernel/mm/shootdown.c kernel/mm/xcore.c lib/buddy/buddy.c lib/urpc/urpc.c))
