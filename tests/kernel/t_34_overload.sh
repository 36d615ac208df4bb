#!/bin/bash
# t_34_overload: a probe that spends (almost) its whole instruction budget
# on every ksys_read, with a hot reader, takes most of a CPU; the overload
# governor stops it (OVERLOAD) with a message and exit status 1, and the
# machine stays responsive.  Module defaults: overload_percent=50 over
# overload_interval_ms=1000.
# vtrace-timeout: 90
. "$(dirname "$0")/lib.sh"
(while :; do dd if=/dev/zero of=/dev/null bs=1 count=1000 2>/dev/null; done) &
rpid=$!
trap 'kill $rpid 2>/dev/null; wait $rpid 2>/dev/null; rm -rf "$TMPDIR_TEST"' EXIT
start=$SECONDS
# 7 instructions an iteration: about 98,000 of the 100,000 budget.
timeout 60 vtrace -e 'probe kernel.function("ksys_read") { i = 0; while (i < 14000) i++ }
probe timer.ms(30000) { printf("timer\n"); exit() }
probe end { printf("end\n") }' >"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err"
rc=$?
took=$((SECONDS - start))
echo "t_34: status $rc after $took s"
cat "$TMPDIR_TEST/err"
expect_eq "status" 1 "$rc"
expect_match "message" "^vtrace: probes used [0-9]+% of a CPU.*\(overload\), stopping$" \
	"$(cat "$TMPDIR_TEST/err")"
expect_eq "output" "end" "$(cat "$TMPDIR_TEST/out")"
[ "$took" -lt 25 ] || fail "took $took s: the timer, not the governor, ended it"
# Responsive: a short command still runs promptly.
t0=$(date +%s%N)
timeout 10 ls /proc >/dev/null || fail "ls /proc did not finish"
echo "t_34: ls /proc took $((($(date +%s%N) - t0) / 1000000)) ms"
no_vtrace_kprobes
echo "t_34: pass"
