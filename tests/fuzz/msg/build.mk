# Checked message decoding (include/tessera/msg.h).
$(eval $(call fuzz_target,msg,lib/urpc/test_seq.c))
