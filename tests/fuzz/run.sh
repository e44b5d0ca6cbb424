#!/bin/sh
# `make fuzz`: runs each fuzz target for SECONDS seconds, one after another.
# Usage: tests/fuzz/run.sh SECONDS WORKDIR 'NAME [LIBFUZZER OPTION...]'...
#
# Each target starts from a scratch copy of tests/fuzz/NAME/corpus and
# tests/fuzz/NAME/regress in WORKDIR/run/NAME/corpus (new inputs stay there);
# its log is WORKDIR/run/NAME/log and anything that failed (crash-*, leak-*,
# timeout-*, oom-*) is written beside it.  Prints one line per
# target and a summary; exits 1 if any target failed.
set -u
seconds=$1
work=$2
shift 2

total_execs=0
failed=0
targets=0
for spec in "$@"; do
	set -- $spec
	name=$1
	shift
	dir=$work/run/$name
	bin=$work/bin/fuzz_$name
	rm -rf "$dir"
	mkdir -p "$dir/corpus"
	for src in tests/fuzz/$name/corpus tests/fuzz/$name/regress; do
		[ -d "$src" ] && find "$src" -maxdepth 1 -type f ! -name '.*' -exec cp {} "$dir/corpus/" \;
	done
	seeds=$(find "$dir/corpus" -type f | wc -l)
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$dir/" "$@" "$dir/corpus" >"$dir/log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
	execs=${execs:-0}
	found=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \
		-o -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' \) | wc -l)
	inputs=$(find "$dir/corpus" -type f | wc -l)
	targets=$((targets + 1))
	total_execs=$((total_execs + execs))
	if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
		failed=$((failed + 1))
		[ "$found" -eq 0 ] && found=1
		printf '  FUZZ    %-8s %12s execs  %d crash(es)  FAILED\n' "$name" "$execs" "$found"
		find "$dir" -maxdepth 1 -type f ! -name log | sed 's/^/          kept: /'
		grep -m 1 -E 'ERROR: |runtime error:|SUMMARY:' "$dir/log" | sed 's/^/          /'
		echo "          log: $dir/log"
	else
		printf '  FUZZ    %-8s %12s execs  0 crashes  corpus %d -> %d inputs\n' \
			"$name" "$execs" "$seeds" "$inputs"
	fi
done
echo "fuzz: $targets targets, ${seconds} s each: $total_execs executions, $failed failed"
[ "$failed" -eq 0 ]
