# Dispatchers and scheduling (kernel/sched).  Included by kernel/build.mk
# after KERNEL_SRCS is defined; tests (*_test.c) go into the test kernel only.
SCHED_SRCS := kernel/sched/sched.c kernel/sched/kinvoke.c kernel/sched/spawn.c kernel/sched/endpoint.c kernel/sched/ring.c kernel/sched/notify.c kernel/sched/monlink.c kernel/sched/device.c kernel/sched/corestats.c
SCHED_TEST_SRCS := $(sort $(wildcard kernel/sched/*_test.c))

$(BUILD)/kernel/kernel/sched/device.o $(BUILD)/kernel/kernel/sched/device_test.o: \
	KERNEL_CFLAGS += -Iboot/common

KERNEL_SRCS += $(SCHED_SRCS)
KERNEL_TEST_ONLY += $(SCHED_TEST_SRCS)
