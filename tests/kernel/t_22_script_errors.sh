#!/bin/bash
# A script error is reported at FILE:LINE:COL with the source line and a
# caret, exits 1, and never opens the device.
. "$(dirname "$0")/lib.sh"

printf 'probe begin {\n  printf("x\\n")\n  n = ;\n}\n' >"$TMPDIR_TEST/bad.stp"
strace -f -o "$TMPDIR_TEST/trace" -e trace=open,openat \
	vtrace "$TMPDIR_TEST/bad.stp" 2>"$TMPDIR_TEST/err" >/dev/null
expect_eq "exit status" 1 "$?"
first=$(head -n 1 "$TMPDIR_TEST/err")
expect_match "message" "^$TMPDIR_TEST/bad.stp:[0-9]+:[0-9]+: error: " "$first"
grep -q '\^' "$TMPDIR_TEST/err" || fail "no caret line: $(cat "$TMPDIR_TEST/err")"
! grep -q /dev/vtrace "$TMPDIR_TEST/trace" || fail "the device was opened"

# An unknown probe point and an unknown function are errors too.
vtrace -e 'probe nosuch.point { }' 2>"$TMPDIR_TEST/err"
expect_eq "unknown probe status" 1 "$?"
expect_match "unknown probe" "^<command-line>:1:7: error: " "$(head -n 1 "$TMPDIR_TEST/err")"

# A kprobe on a missing symbol: a clear error, exit 1, nothing left behind.
vtrace -e 'probe kernel.function("no_such_function_xyz") { }' 2>"$TMPDIR_TEST/err"
expect_eq "missing symbol status" 1 "$?"
expect_match "missing symbol" '^vtrace: cannot attach probe kernel.function\("no_such_function_xyz"\): No such file or directory' "$(cat "$TMPDIR_TEST/err")"
no_vtrace_kprobes

# The same point marked optional with '?' is skipped and the script runs.
out=$(vtrace -e 'probe kernel.function("no_such_function_xyz")? { } probe begin { printf("ok\n"); exit() }' 2>&1)
expect_eq "optional probe status" 0 "$?"
expect_eq "optional probe output" "ok" "$out"
