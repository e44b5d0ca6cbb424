# sieve (user/apps/sieve): primes on the heap.
$(eval $(call user_app,sieve,user/apps/sieve/main.c,user/apps/sieve/sieve.manifest))
