# Programs the test kernel runs in sandboxes of their own
# (kernel/sched/sched_test.c): well-behaved, faulting and hostile.
$(eval $(call user_test_program,hello,user/tests/hello.c,user/tests/hello.manifest))
$(eval $(call user_test_program,faulter,user/tests/faulter.c,user/tests/faulter.manifest))
$(eval $(call user_test_program,spinner,user/tests/spinner.c))
$(eval $(call user_test_program,ep_server,user/tests/ep_server.c))
$(eval $(call user_test_program,ep_client,user/tests/ep_client.c))
$(eval $(call user_test_program,ring,user/tests/ring.c))
$(eval $(call user_test_program,notify_wait,user/tests/notify_wait.c))
$(eval $(call user_test_program,notify_timer,user/tests/notify_timer.c))
$(eval $(call user_test_program,fpu,user/tests/fpu.c))
# The runtime's tests (user/lib/rt; kernel/sched/rt_test.c): heap and
# stack growth, running out of budget, a stack's guard, threads and their
# preemption, spawning from user space, and init's startup description.
$(eval $(call user_test_program,rt_heap,user/tests/rt_heap.c))
$(eval $(call user_test_program,rt_oom,user/tests/rt_oom.c))
$(eval $(call user_test_program,rt_guard,user/tests/rt_guard.c))
$(eval $(call user_test_program,rt_threads,user/tests/rt_threads.c))
$(eval $(call user_test_program,rt_simd,user/tests/rt_simd.c))
$(eval $(call user_test_program,rt_preempt,user/tests/rt_preempt.c))
$(eval $(call user_test_program,rt_spawn,user/tests/rt_spawn.c))
$(eval $(call user_test_program,rt_child,user/tests/rt_child.c,user/tests/rt_child.manifest))
$(eval $(call user_test_file,rt_startup,user/tests/rt_startup.conf))
$(eval $(call user_test_program,hostile,user/tests/hostile.c user/tests/hostile_cpu.c \
	user/tests/hostile_kmem.c user/tests/hostile_caps.c user/tests/hostile_objs.c \
	user/tests/hostile_retype.c user/tests/probe.c user/tests/probe_entry.S))
$(eval $(call user_test_program,sysfuzz,user/tests/sysfuzz.c user/tests/probe.c \
	user/tests/probe_entry.S))
# Tiles (docs/tile.md; kernel/sched/rt_test.c runs tile_spawn): the
# manifest honoured (tile_greedy), relocation to random bases
# (tile_reloc), a library (tdemo) whose frames programs share (tile_dyn),
# and imports refused for their type, version or library.
$(eval $(call user_test_library,tdemo,user/tests/tdemo.c,user/tests/tdemo.manifest))
$(eval $(call user_test_program,tile_dyn,user/tests/tile_dyn.c,user/tests/tile_dyn.manifest,tdemo))
$(eval $(call user_test_program,tile_badtype,user/tests/tile_dyn.c,user/tests/tile_badtype.manifest,tdemo))
$(eval $(call user_test_program,tile_badver,user/tests/tile_dyn.c,user/tests/tile_badver.manifest,tdemo))
$(eval $(call user_test_program,tile_nolib,user/tests/tile_dyn.c,user/tests/tile_nolib.manifest,tdemo))
$(eval $(call user_test_program,tile_reloc,user/tests/tile_reloc.c,user/tests/tile_reloc.manifest))
$(eval $(call user_test_program,tile_greedy,user/tests/tile_greedy.c,user/tests/tile_greedy.manifest))
$(eval $(call user_test_program,tile_spawn,user/tests/tile_spawn.c))
$(eval $(call user_schema,user/tests/tile_spawn.c,user/tests/tile_args.schema))
$(eval $(call user_test_program,tile_args,user/tests/tile_args.c,user/tests/tile_args.manifest))
# 2 MiB pages (docs/tile.md §5): tile_large spawns tile_big, whose data
# segment is linked 2 MiB-aligned (kernel/sched/rt_test.c).
$(eval $(call user_test_program,tile_big,user/tests/tile_big.c,user/tests/tile_big.manifest))
$(eval $(call user_test_program,tile_large,user/tests/tile_large.c))
# Typed values in user space (lib/typed; typed_args.schema's generated header).
$(eval $(call user_test_program,typed_args,user/tests/typed_args.c))
$(eval $(call user_schema,user/tests/typed_args.c,user/tests/typed_args.schema))
# Device capabilities (kernel/sched/device_test.c): exactly its I/O ports,
# an `in` instruction faulting; an interrupt line as a notification.
$(eval $(call user_test_program,dev_ports,user/tests/dev_ports.c))
$(eval $(call user_test_program,dev_irq,user/tests/dev_irq.c))
