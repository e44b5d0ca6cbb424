# The capability core (pure C, host-tested in tests/host/cap).  The kernel
# fragment includes this file and compiles $(CAP_SRCS) into the kernel.
CAP_SRCS := kernel/cap/cap.c kernel/cap/cnode.c kernel/cap/delete.c \
	kernel/cap/invoke.c kernel/cap/mdb.c kernel/cap/retype.c
