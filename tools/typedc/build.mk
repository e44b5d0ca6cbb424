# tools/typedc: the schema compiler (typed values, lib/typed).  A schema
# becomes a C header with the macro below:
#   $(eval $(call typed_schema,path/NAME.schema))
# makes $(call typed_header,path/NAME.schema) = $(TYPED_GEN)/NAME.h, which
# sources include as <NAME.h> ($(TYPED_GEN) is on the include path of user
# programs; host code adds -I$(TYPED_GEN)).
TYPEDC := $(HOST)/bin/typedc
TYPEDC_SRCS := $(addprefix tools/typedc/,main.c cli.c schema.c gen.c) $(TYPED_SRCS) lib/fmt/fmt.c
$(eval $(call host_tool,typedc,$(TYPEDC_SRCS)))

TYPED_GEN := $(HOST)/gen/typed
typed_header = $(TYPED_GEN)/$(basename $(notdir $(1))).h

# Once per schema, however many programs name it.
define typed_schema_rule
TYPED_SCHEMA_DONE_$(1) := 1
$(call typed_header,$(1)): $(1) $(TYPEDC)
	$$(call msg,TYPEDC,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(TYPEDC) header $(1) $$@
endef
typed_schema = $(if $(TYPED_SCHEMA_DONE_$(1)),,$(call typed_schema_rule,$(1)))
