#!/bin/bash
# module("M").function("PATTERN"): functions of a loaded module (the
# guest's root is a 9p mount, so the 9p module's v9fs_* functions run on
# every file access), exact and wildcard, entry and return; listing with
# -l; a module that is not loaded is an error.
. "$(dirname "$0")/lib.sh"

grep -q '^9p ' /proc/modules || fail "the 9p module is not loaded"
vtrace -e 'global n, r, w, armed
probe module("9p").function("v9fs_file_open") { if (execname() == "cat") n++ }
probe module("9p").function("v9fs_file_open").return { if (execname() == "cat") r++ }
probe module("9p").function("v9fs_file_*") { if (execname() == "cat") w++ }
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }
probe end { printf("open=%d ret=%d wild=%d\n", n > 0, r == n, w >= n) }' \
	>"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 60
for i in 1 2 3; do cat /etc/hostname >/dev/null; done
kill -INT $pid
wait $pid
expect_eq "status" 0 "$?"
expect_eq "counts" "open=1 ret=1 wild=1" "$(grep '^open=' "$TMPDIR_TEST/out")"

out=$(vtrace -l 'module("9p").function("v9fs_file_open")')
expect_eq "listing" 'module("9p").function("v9fs_file_open")' "$out"

out=$(vtrace -e 'probe module("9p").function("no_such_fn*") {}' 2>&1)
[ $? -ne 0 ] || fail "a pattern matching nothing was accepted"
expect_match "no match" 'no match for module\("9p"\)\.function\("no_such_fn\*"\)' "$out"
out=$(vtrace -e 'probe module("vt_no_such_module").function("f") {}' 2>&1)
[ $? -ne 0 ] || fail "a function of a missing module was accepted"
expect_match "missing module" 'cannot attach probe module\("vt_no_such_module"\)' "$out"
no_vtrace_kprobes
echo "t_59: pass"
