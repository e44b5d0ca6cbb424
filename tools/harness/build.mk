# tools/harness: starts QEMU (make run, make debug) and runs the host tests
# and the boot matrix (make test).  HARNESS_LIB is everything but main.c,
# shared with the host tests in tests/host/harness.
HARNESS := $(HOST)/bin/harness
HARNESS_LIB := tools/harness/ktap.c tools/harness/serial.c tools/harness/matrix.c \
	tools/harness/qemu.c tools/harness/report.c tools/harness/job.c \
	tools/harness/files.c tools/harness/run.c tools/harness/test.c tools/harness/bootsum.c
$(eval $(call host_tool,harness,tools/harness/main.c $(HARNESS_LIB)))
