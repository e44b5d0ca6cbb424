# URPC ring reading and sending over a fuzzed region (lib/urpc/urpc.c).
$(eval $(call fuzz_target,urpc,lib/urpc/urpc.c))
