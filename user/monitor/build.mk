# The monitor of every core (user/monitor/main.c): a boot module the CPU
# driver starts.
$(eval $(call user_program,monitor,user/monitor/main.c user/monitor/link.c user/monitor/serve.c \
	user/monitor/chans.c user/monitor/stats.c))
