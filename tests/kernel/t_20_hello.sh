#!/bin/bash
# The walking skeleton's first promise: a begin probe runs in the kernel and
# its printf comes back formatted.
. "$(dirname "$0")/lib.sh"

out=$(vtrace -e 'probe begin { printf("hello %d\n", 6*7); exit() }' 2>"$TMPDIR_TEST/err")
status=$?
expect_eq "exit status" 0 "$status"
expect_eq "output" "hello 42" "$out"
expect_eq "stderr" "" "$(cat "$TMPDIR_TEST/err")"

# Several begin and end probes, strings, globals and builtins.
out=$(vtrace -e '
global who = "vtrace", n
probe begin { n = 40; printf("%s:%d\n", who, n + 2) }
probe begin { printf("%5d|%-4d|%x|%c|%s\n", 7, 8, 255, 65, execname()) }
probe begin { if (pid() > 0 && tid() > 0 && cpu() >= 0 && gettimeofday_ns() > 0) printf("ids ok\n"); exit() }
probe end { printf("end n=%d\n", n) }')
expect_eq "status" 0 "$?"
expect_eq "output" "vtrace:42
    7|8   |ff|A|vtrace
ids ok
end n=40" "$out"
