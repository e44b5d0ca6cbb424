# Host tools.  Each tool has its own fragment tools/NAME/build.mk, which
# defines the tool's variable (TCFG, HARNESS, MKIMAGE, ...).
# $(call host_tool,NAME,SOURCES) links $(HOST)/bin/NAME from host objects.
HOST_TOOL_OBJS :=
define host_tool
HOST_TOOL_OBJS += $(call host_objs,$(2))
$(HOST)/bin/$(1): $(call host_objs,$(2))
	$$(call msg,LINK,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$^ -o $$@ $(3)
endef

# typedc first: other tools' schemas use its typed_schema macro.
include tools/typedc/build.mk
include $(filter-out tools/typedc/build.mk,$(sort $(wildcard tools/*/build.mk)))
