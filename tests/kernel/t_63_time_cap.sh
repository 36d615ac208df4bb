#!/bin/bash
# t_63_time_cap: the firing time cap (max_firing_us).  A firing spinning
# until its budget runs out faults MAXACTION with the default cap (20 ms:
# the whole 100,000-instruction budget takes 1-2 ms in the TCG guest), and
# faults TIME when the cap is 200 us; the error names the line and
# vtrace exits 1.  max_firing_us=0 turns the cap off.
. "$(dirname "$0")/lib.sh"

param=/sys/module/vtrace/parameters/max_firing_us
old=$(cat $param)
trap 'echo "$old" >$param; rm -rf "$TMPDIR_TEST"' EXIT
script='probe begin { i = 0; while (1) i++ }
probe begin { exit() }'

run() {
	echo "$1" >$param
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
expect_match "no cap: the budget" 'instruction budget exceeded' "$out"
echo "t_63: pass"
