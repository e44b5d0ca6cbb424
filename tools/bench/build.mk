# tools/bench: the host side of make bench-linux (bench/linux/linux.mk).
#   $(BENCHRUN) --out LOG [--timeout S] [--until TEXT]... -- QEMU...
#       runs QEMU, stamps every serial line with host milliseconds
#   $(BENCHTAB) --out DIR [--tessera LOG]... [--linux LOG]... [--boot L=LOG]...
#       Tessera's figures beside Linux's, the boot stages: tables, CSV, plot data
# BENCHTAB_LIB (the log reader and the statistics) is shared with the host
# tests in tests/host/bench.
BENCHRUN := $(HOST)/bin/benchrun
BENCHTAB := $(HOST)/bin/benchtab
BENCHTAB_LIB := tools/bench/benchlog.c tools/bench/stats.c
$(eval $(call host_tool,benchrun,tools/bench/benchrun.c))
$(eval $(call host_tool,benchtab,tools/bench/benchtab.c tools/bench/benchtab_out.c $(BENCHTAB_LIB)))
