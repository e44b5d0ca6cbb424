# The configuration schema checker (tools/tcfg/schema.c) over lib/json.
$(eval $(call fuzz_target,tcfg,tools/tcfg/schema.c lib/json/json.c,-Itools/tcfg,\
	-dict=tests/fuzz/tcfg/tcfg.dict))
