# The configuration checker (tools/tcfg/schema.c) over lib/json and lib/typed.
$(eval $(call fuzz_target,tcfg,$(TCFG_LIB_SRCS),-Itools/tcfg,\
	-dict=tests/fuzz/tcfg/tcfg.dict))
