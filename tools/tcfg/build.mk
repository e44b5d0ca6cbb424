# tools/tcfg: the typed configuration checker.  The top-level Makefile runs
# it first: `$(TCFG) check CONFIG --set KEY=VALUE... --emit-make config.mk`.
TCFG := $(HOST)/bin/tcfg
TCFG_SRCS := tools/tcfg/main.c tools/tcfg/cli.c tools/tcfg/schema.c lib/json/json.c
$(eval $(call host_tool,tcfg,$(TCFG_SRCS)))
