#!/bin/bash
# t_31_maxerrors: a probe that divides by zero on every firing stops the
# session once more than MAXERRORS (100) errors happened: a message, the
# error probe runs instead of the end probe (as in SystemTap), exit status
# 1.  A single error does not stop it, and then the end probe runs.
# vtrace-timeout: 90
. "$(dirname "$0")/lib.sh"

(while :; do dd if=/dev/zero of=/dev/null bs=1 count=500 2>/dev/null; done) &
rpid=$!
trap 'kill $rpid 2>/dev/null; wait $rpid 2>/dev/null; rm -rf "$TMPDIR_TEST"' EXIT
start=$SECONDS
timeout 60 vtrace -e 'global z
probe kernel.function("ksys_read") { x = 1 / z }
probe timer.ms(30000) { printf("timer\n"); exit() }
probe end { printf("end\n") }
probe error { printf("error probe\n") }' >"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err"
rc=$?
took=$((SECONDS - start))
nerr=$(grep -c '^ERROR: division by zero' "$TMPDIR_TEST/err")
echo "t_31: status $rc after $took s, $nerr error lines"
grep -v '^ERROR: division by zero' "$TMPDIR_TEST/err"
expect_eq "status" 1 "$rc"
expect_match "message" "^vtrace: too many errors \(MAXERRORS=100\), stopping$" \
	"$(cat "$TMPDIR_TEST/err")"
expect_eq "output" "error probe" "$(cat "$TMPDIR_TEST/out")"
[ "$nerr" -ge 101 ] || fail "only $nerr errors reported before stopping"
[ "$took" -lt 25 ] || fail "took $took s: the timer, not MAXERRORS, ended it"

# One error: reported, and the session goes on to its own exit().
out=$(timeout 60 vtrace -e 'global z
probe begin { x = 1 / z }
probe timer.ms(300) { printf("alive\n"); exit() }
probe end { printf("end\n") }
probe error { printf("error probe\n") }' 2>"$TMPDIR_TEST/err")
expect_eq "one error: status" 1 "$?"
expect_eq "one error: output" "alive
end" "$out"
grep -q 'too many errors' "$TMPDIR_TEST/err" && fail "one error stopped it"
no_vtrace_kprobes
echo "t_31: pass"
