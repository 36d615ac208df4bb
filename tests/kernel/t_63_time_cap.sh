#!/bin/bash
# t_63_time_cap: the firing time cap (max_firing_us, fixed at load).  A
# firing spinning until its budget runs out faults MAXACTION with the
# default cap (20 ms: the whole 100,000-instruction budget takes 1-2 ms in
# the TCG guest), and faults TIME when the module is loaded with a cap of
# 200 us; the error names the line and vtrace exits 1.  The cap cannot be
# turned off: max_firing_us=0 is clamped to 100 us.
. "$(dirname "$0")/lib.sh"

ko=${VTRACE_KO:?VTRACE_KO not set}
param=/sys/module/vtrace/parameters/max_firing_us
trap 'rmmod vtrace 2>/dev/null; insmod "$ko"; rm -rf "$TMPDIR_TEST"' EXIT
script='probe begin { i = 0; while (1) i++ }
probe begin { exit() }'

run() {
	rmmod vtrace && insmod "$ko" max_firing_us="$1" || fail "reload with max_firing_us=$1"
	out=$(vtrace -D MAXACTION=100000 -e "$script" 2>&1)
	status=$?
}

run 20000
expect_eq "default cap: status" 1 "$status"
expect_match "default cap: the budget runs out first" \
	'^ERROR: instruction budget exceeded \(MAXACTION\) at <command-line>:1:' "$out"

run 200
expect_eq "200 us cap: status" 1 "$status"
expect_match "200 us cap: TIME" \
	'^ERROR: time limit of one firing exceeded at <command-line>:1:' "$out"

run 0
expect_eq "0 is clamped" 100 "$(cat $param)"
expect_match "0 is clamped: TIME" 'time limit of one firing exceeded' "$out"
echo "t_63: pass"
