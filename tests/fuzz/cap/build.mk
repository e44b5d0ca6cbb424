# Random capability operations through cap_invoke against the host model
# (tests/host/cap/model.c); tests/host/cap/test_cap_fuzz also runs it.
include kernel/cap/sources.mk
$(HOST)/fuzz/obj/tests/host/cap/%.o: HOST_EXTRA_CFLAGS += -Ikernel
$(eval $(call fuzz_target,cap,tests/host/cap/model.c tests/host/cap/capenv.c $(CAP_SRCS) \
	lib/buddy/buddy.c,-Ikernel,-max_len=4096))
