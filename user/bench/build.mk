# The user benchmark programs (make bench-user; bench/user/user.mk puts them
# on the bench-user image only, with the bench kernel that runs them,
# kernel/sched/bench_user.c).  Each reads its role from the bench page
# (user/bench/benchpage.h) and writes its figures there.
USER_BENCH_PROGRAMS := bench_sys bench_ep bench_spawn bench_nop bench_line
USER_BENCH_COMMON := user/bench/bench.c user/bench/bare.S

$(eval $(call user_program,bench_sys,user/bench/bench_sys.c $(USER_BENCH_COMMON)))
$(eval $(call user_program,bench_ep,user/bench/bench_ep.c $(USER_BENCH_COMMON)))
$(eval $(call user_program,bench_spawn,user/bench/bench_spawn.c $(USER_BENCH_COMMON)))
$(eval $(call user_program,bench_nop,user/bench/bench_nop.c))
$(eval $(call user_program,bench_line,user/bench/bench_line.c $(USER_BENCH_COMMON)))
