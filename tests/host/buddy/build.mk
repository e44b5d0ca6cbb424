# Host tests for lib/buddy (the per-core physical memory pool).
$(eval $(call host_test,test_buddy,tests/host/buddy/test_buddy.c lib/buddy/buddy.c))
