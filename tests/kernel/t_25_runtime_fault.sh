#!/bin/bash
# A fault aborts only that firing, is reported with its script location,
# and the session goes on; vtrace exits 1 because an error happened.
. "$(dirname "$0")/lib.sh"

out=$(vtrace -e 'global z
probe begin { printf("before\n"); x = 1 / z; printf("not reached\n") }
probe begin { printf("after\n"); exit() }' 2>"$TMPDIR_TEST/err")
expect_eq "status" 1 "$?"
expect_eq "output" "before
after" "$out"
expect_match "error" "^ERROR: division by zero at <command-line>:2:" "$(cat "$TMPDIR_TEST/err")"

# An endless loop is cut by the instruction budget; the machine stays fine.
out=$(vtrace -e 'probe begin { while (1) { } }
probe begin { printf("still here\n"); exit() }' 2>"$TMPDIR_TEST/err")
expect_eq "budget status" 1 "$?"
expect_eq "budget output" "still here" "$out"
expect_match "budget error" "budget" "$(cat "$TMPDIR_TEST/err")"
