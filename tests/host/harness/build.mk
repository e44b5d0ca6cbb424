# Host tests for tools/harness: the pure parts one by one, then the whole
# `harness test` path against fake QEMU scripts.
$(eval $(call host_test,test_ktap,tests/host/harness/test_ktap.c tools/harness/ktap.c \
	tools/harness/serial.c))
$(eval $(call host_test,test_matrix,tests/host/harness/test_matrix.c tools/harness/matrix.c \
	tools/harness/monitor.c \
	tools/harness/files.c tools/harness/script.c))
$(eval $(call host_test,test_qemu,tests/host/harness/test_qemu.c tools/harness/qemu.c))
$(eval $(call host_test,test_report,tests/host/harness/test_report.c tools/harness/report.c \
	tools/harness/ktap.c tools/harness/account.c tools/harness/ktests.c tools/harness/matrix.c \
	tools/harness/files.c tools/harness/script.c))
$(eval $(call host_test,test_ktests,tests/host/harness/test_ktests.c tools/harness/ktests.c \
	tools/harness/files.c))
$(eval $(call host_test,test_harness,tests/host/harness/test_harness.c $(HARNESS_LIB)))
$(eval $(call host_test,test_bootsum,tests/host/harness/test_bootsum.c tools/harness/bootsum.c \
	tools/harness/matrix.c tools/harness/files.c tools/harness/serial.c tools/harness/script.c))
$(eval $(call host_test,test_screen,tests/host/harness/test_screen.c tools/harness/screen.c \
	tools/harness/files.c))
