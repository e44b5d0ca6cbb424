# tools/harness: starts QEMU (make run, make debug), runs the host tests and
# the boot matrix (make test), and lists the test cases the kernel's sources
# declare (mk/ktests.mk).  HARNESS_LIB is everything but main.c, shared with
# the host tests in tests/host/harness.
HARNESS := $(HOST)/bin/harness
HARNESS_LIB := tools/harness/ktap.c tools/harness/serial.c tools/harness/matrix.c tools/harness/monitor.c \
	tools/harness/qemu.c tools/harness/report.c tools/harness/job.c \
	tools/harness/files.c tools/harness/run.c tools/harness/test.c tools/harness/bootsum.c \
	tools/harness/ktests.c tools/harness/account.c tools/harness/screen.c tools/harness/script.c
$(eval $(call host_tool,harness,tools/harness/main.c $(HARNESS_LIB)))
