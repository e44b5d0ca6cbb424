#!/bin/sh
# bench-user's report (bench/user/user.mk): reads the guest's serial log,
# where the bench kernel printed one line per figure
#   bench-user: fig NAME OPS MEDIAN LOWEST HIGHEST   (cycles per operation)
# and prints each figure with its ratios to its baselines (the median over
# the baseline's median, both from this run).  Fails, saying which, if the
# guest failed or a figure is missing; a figure the guest says is pending
# (bench-user: pending NAME why) is shown as such.
#   report.sh SERIAL-LOG GUEST-STATUS DESCRIPTION
set -u
if [ $# -ne 3 ]; then
	echo "usage: report.sh SERIAL-LOG GUEST-STATUS DESCRIPTION" >&2
	exit 2
fi
log=$1
status=$2
echo "bench-user: $3"
if [ ! -r "$log" ]; then
	echo "bench-user: FAILED: no serial log $log" >&2
	exit 1
fi
tr -d '\r' < "$log" | awk -v status="$status" -v serial="$log" '
# The rows: figure, what it is, and its baselines with their factors
# ("null*2": twice the null invocation); a row with a figure already
# shown adds a ratio to another baseline.
BEGIN {
	row("syscall", "SYSCALL + SYSRET, bare (bench stub)", "")
	row("invalid", "a system call refused first thing", "syscall")
	row("null", "null invocation (IDENTIFY)", "syscall")
	row("ep", "endpoint round trip, one core", "null*2 syscall")
	row("ud", "ud2 + IRETQ, bare (bench #UD stub)", "")
	row("fault", "page fault handled in user space", "ud null")
	row("spawn", "spawn + exit + wait + kill, trivial program", "null fault")
	row("sync", "1,000 IDENTIFYs as system calls, each", "")
	row("ring", "1,000 IDENTIFYs in one RING_ENTER, each", "sync")
	row("line", "cache line round trip, cores 0 and 1", "")
	row("urpc", "user channel round trip, receiver polling", "line")
	row("urpcwait", "user channel round trip, receiver asleep", "line urpc")
}
function row(name, what, bases) {
	rows[++nrows] = name
	desc[name] = what
	base[name] = bases
}
{ sub(/^\[cpu[0-9]+\] /, "") }
!/^bench-user: / { next }
$2 == "fig" && NF == 7 {
	ops[$3] = $4; med[$3] = $5; lo[$3] = $6; hi[$3] = $7
	next
}
$2 == "pending" { why = $0; sub(/^bench-user: pending [^ ]+ /, "", why); pending[$3] = why; next }
$2 == "done" { done = 1; next }
$2 == "cycle" { print; next }
$2 == "error:" || $2 == "missing" || $2 == "failed" { print; next }
function ratio(x, y) { return y > 0 ? sprintf("x %.2f", x / y) : "x ?" }
END {
	printf "bench-user: cycles per operation: median of the rounds (lowest..highest)\n"
	printf "  %-8s %-42s %12s %-23s %-9s %s\n", "figure", "", "cycles/op", "(lowest..highest)",
	       "ratio", "to"
	bad = 0
	for (i = 1; i <= nrows; i++) {
		n = rows[i]
		if (!(n in med)) {
			if (n in pending) {
				printf "  %-8s %-42s %12s (%s)\n", n, desc[n], "pending", pending[n]
			} else if (!(n in optional)) {
				printf "bench-user: FAILED: figure %s (%s) is missing\n", n, desc[n]
				bad = 1
			}
			continue
		}
		nb = split(base[n], bs, " ")
		r = ""; to = ""
		if (nb > 0) {
			split(bs[1], bf, "*"); f = bf[2] == "" ? 1 : bf[2]
			r = bf[1] in med ? ratio(med[n], f * med[bf[1]]) : "x ?"
			to = (f == 1 ? "" : f " x ") bf[1]
		}
		printf "  %-8s %-42s %12s %-23s %-9s %s\n", n, desc[n], med[n],
		       "(" lo[n] ".." hi[n] ")", r, to
		for (j = 2; j <= nb; j++) {
			split(bs[j], bf, "*"); f = bf[2] == "" ? 1 : bf[2]
			r = bf[1] in med ? ratio(med[n], f * med[bf[1]]) : "x ?"
			printf "  %-8s %-42s %12s %-23s %-9s %s\n", "", "", "", "", r,
			       (f == 1 ? "" : f " x ") bf[1]
		}
	}
	if (status != 0) {
		printf "bench-user: FAILED: the guest ended with status %s\n", status
		bad = 1
	} else if (!done) {
		printf "bench-user: FAILED: the guest never said it was done\n"
		bad = 1
	}
	if (bad)
		printf "bench-user: serial log in %s\n", serial
	exit bad
}'
