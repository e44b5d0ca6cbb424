# JSON parsing (lib/json).
$(eval $(call fuzz_target,json,lib/json/json.c,,-dict=tests/fuzz/json/json.dict))
