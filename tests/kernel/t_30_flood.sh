#!/bin/bash
# t_30_flood: a 16 KiB output buffer and a script printing on every read(2)
# (the CLI's own reads included): records are dropped and reported, vtrace
# still exits on its timer without hanging, and the end probe's output
# arrives.  The module is reloaded with bufsize_kb=16 and restored after.
# vtrace-timeout: 90
. "$(dirname "$0")/lib.sh"
ko=${VTRACE_KO:?VTRACE_KO not set}
rpid=
cleanup() {
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null && wait "$rpid" 2>/dev/null
	rmmod vtrace 2>/dev/null
	insmod "$ko"
	rm -rf "$TMPDIR_TEST"
}
trap cleanup EXIT
rmmod vtrace || fail "rmmod vtrace"
# overload_percent=0: this test is about the buffer, not the governor.
insmod "$ko" bufsize_kb=16 overload_percent=0 || fail "insmod bufsize_kb=16"

(while :; do dd if=/dev/zero of=/dev/null bs=1 count=5000 2>/dev/null; done) &
rpid=$!
start=$SECONDS
timeout 60 vtrace -e 'global n
probe kernel.function("ksys_read") {
	n++
	printf("%s %d %d %s %s\n", execname(), pid(), n,
	       "some padding to make each record longer than it needs to be",
	       execname())
}
probe timer.ms(3000) { exit() }
probe end { printf("end n=%d\n", n) }' >"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err"
rc=$?
took=$((SECONDS - start))
echo "t_30: status $rc after $took s; $(wc -l <"$TMPDIR_TEST/out") lines"
cat "$TMPDIR_TEST/err"
expect_eq "status" 0 "$rc"
expect_match "drops reported" "^WARNING: [0-9]+ output records dropped" \
	"$(cat "$TMPDIR_TEST/err")"
expect_match "end output" "^end n=[0-9]+$" "$(tail -n 1 "$TMPDIR_TEST/out")"
[ "$took" -le 30 ] || fail "vtrace took $took s to stop"
no_vtrace_kprobes
echo "t_30: pass"
