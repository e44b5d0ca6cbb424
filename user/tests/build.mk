# Programs the test kernel runs in sandboxes of their own
# (kernel/sched/sched_test.c): well-behaved, faulting and hostile.
$(eval $(call user_test_program,hello,user/tests/hello.c))
$(eval $(call user_test_program,faulter,user/tests/faulter.c))
$(eval $(call user_test_program,spinner,user/tests/spinner.c))
$(eval $(call user_test_program,hostile,user/tests/hostile.c user/tests/hostile_cpu.c \
	user/tests/hostile_kmem.c user/tests/hostile_caps.c user/tests/hostile_objs.c \
	user/tests/hostile_retype.c user/tests/probe.c user/tests/probe_entry.S))
$(eval $(call user_test_program,sysfuzz,user/tests/sysfuzz.c user/tests/probe.c \
	user/tests/probe_entry.S))
