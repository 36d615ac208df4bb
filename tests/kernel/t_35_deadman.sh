#!/bin/bash
# t_35_deadman: with deadman_s=1, a consumer that is SIGSTOPped while its
# output waits unread makes the session stop firing (DEADMAN); after
# SIGCONT it reports it and exits 1; after SIGSTOP + SIGKILL everything is
# cleaned up.  The module is reloaded with deadman_s=1 and restored after.
# vtrace-timeout: 90
. "$(dirname "$0")/lib.sh"
ko=${VTRACE_KO:?VTRACE_KO not set}
list=/sys/kernel/debug/kprobes/list
rpid=
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null && wait "$rpid" 2>/dev/null
	rmmod vtrace 2>/dev/null
	insmod "$ko"
	rm -rf "$TMPDIR_TEST"
}
trap cleanup EXIT
rmmod vtrace || fail "rmmod vtrace"
insmod "$ko" deadman_s=1 || fail "insmod deadman_s=1"
(while :; do dd if=/dev/zero of=/dev/null bs=1 count=500 2>/dev/null; sleep 0.01; done) &
rpid=$!
script='global n
probe kernel.function("ksys_read") { if (execname() == "dd") { n++; printf("%d\n", n) } }
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }
global armed
probe end { printf("n=%d\n", n) }'

vtrace -e "$script" >"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 60
kill -STOP $pid
sleep 3		# the deadman (1 s) fires at the first firing after it
# Reads now must not be counted: the session stopped firing.
dd if=/dev/zero of=/dev/null bs=1 count=20000 2>/dev/null
kill -CONT $pid
for _ in $(seq 300); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
kill -0 $pid 2>/dev/null && fail "vtrace still running 30 s after SIGCONT"
wait $pid
rc=$?
pid=
cat "$TMPDIR_TEST/err"
expect_eq "status" 1 "$rc"
expect_match "message" "^vtrace: output was not read for 1 s \(deadman\), stopping$" \
	"$(cat "$TMPDIR_TEST/err")"
n=$(sed -n 's/^n=//p' "$TMPDIR_TEST/out")
[ -n "$n" ] || fail "no end output"
echo "t_35: n=$n at the end"
[ "$n" -lt 20000 ] || fail "the session kept firing: n=$n"
no_vtrace_kprobes

# SIGSTOP, the deadman, then SIGKILL: all cleaned up.
rm -f "$TMPDIR_TEST/out"	# not the last run's "armed"
vtrace -e "$script" >"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 60
kill -STOP $pid
sleep 2.5
kill -KILL $pid
wait $pid 2>/dev/null
pid=
grep ksys_read $list && fail "kprobe left after SIGKILL"
rmmod vtrace || fail "rmmod after SIGKILL"
insmod "$ko" deadman_s=1 || fail "insmod again"
echo "t_35: pass"
