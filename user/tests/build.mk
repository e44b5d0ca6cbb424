# Programs the test kernel runs in sandboxes of their own
# (kernel/sched/sched_test.c): well-behaved, faulting and hostile.
$(eval $(call user_test_program,hello,user/tests/hello.c))
$(eval $(call user_test_program,faulter,user/tests/faulter.c))
$(eval $(call user_test_program,spinner,user/tests/spinner.c))
$(eval $(call user_test_program,ep_server,user/tests/ep_server.c))
$(eval $(call user_test_program,ep_client,user/tests/ep_client.c))
$(eval $(call user_test_program,ring,user/tests/ring.c))
$(eval $(call user_test_program,notify_wait,user/tests/notify_wait.c))
$(eval $(call user_test_program,fpu,user/tests/fpu.c))
