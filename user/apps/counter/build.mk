# counter (user/apps/counter): threads, a mutex and a condition variable.
$(eval $(call user_app,counter,user/apps/counter/main.c,user/apps/counter/counter.manifest))
