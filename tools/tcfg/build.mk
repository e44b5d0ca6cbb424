# tools/tcfg: the typed configuration checker.  The top-level Makefile runs
# it first: `$(TCFG) check CONFIG --set KEY=VALUE... --emit-make config.mk`.
# Its schema (tcfg_config.schema) is a lib/typed schema: typedc makes
# tcfg_config.h of it, which every object that includes schema.h needs.
TCFG := $(HOST)/bin/tcfg
TCFG_SCHEMA := tools/tcfg/tcfg_config.schema
TCFG_LIB_SRCS := tools/tcfg/schema.c lib/json/json.c $(TYPED_SRCS) lib/fmt/fmt.c
TCFG_SRCS := tools/tcfg/main.c tools/tcfg/cli.c $(TCFG_LIB_SRCS)
$(eval $(call host_tool,tcfg,$(TCFG_SRCS)))
$(eval $(call typed_schema,$(TCFG_SCHEMA)))
TCFG_GEN_OBJS = $(foreach d,obj san fuzz/obj,$(HOST)/$(d)/tools/tcfg/schema.o \
	$(HOST)/$(d)/tools/tcfg/cli.o $(HOST)/$(d)/tests/host/tcfg/test_tcfg.o \
	$(HOST)/$(d)/tests/fuzz/tcfg/fuzz_tcfg.o)
$(TCFG_GEN_OBJS): $(call typed_header,$(TCFG_SCHEMA))
$(TCFG_GEN_OBJS): HOST_EXTRA_CFLAGS += -I$(TYPED_GEN)
