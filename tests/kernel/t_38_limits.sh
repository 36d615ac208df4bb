#!/bin/bash
# t_38_limits: max_sessions (open() beyond fails with EBUSY) and
# max_session_mb (START beyond fails with E2BIG), both fixed at load: the
# module is reloaded with them, and with the defaults on exit.
. "$(dirname "$0")/lib.sh"
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
ko=${VTRACE_KO:?VTRACE_KO not set}
trap 'rmmod vtrace 2>/dev/null; insmod "$ko"; rm -rf "$TMPDIR_TEST"' EXIT
reload() {
	rmmod vtrace && insmod "$ko" "$@" || fail "reload with $*"
}

reload max_sessions=2
out=$(exec 3<>/dev/vtrace 4<>/dev/vtrace && echo TWO &&
	exec 5<>/dev/vtrace && echo THREE 2>&1)
echo "t_38: max_sessions=2: $out"
expect_match "two sessions open" "TWO" "$out"
[[ $out == *THREE* ]] && fail "a third session opened with max_sessions=2"
out=$( (exec 3<>/dev/vtrace 4<>/dev/vtrace 5<>/dev/vtrace) 2>&1)
expect_match "third open" "Device or resource busy" "$out"
# Closed sessions are given back.
out=$(exec 3<>/dev/vtrace 4<>/dev/vtrace && echo AGAIN)
expect_eq "sessions given back" "AGAIN" "$out"

reload max_session_mb=1 bufsize_kb=1024	# 2 MiB of ring buffer on 2 CPUs
out=$("$top/build/kernel-tests/ioctl_load" -t 0.2 2>&1)
echo "t_38: max_session_mb=1: $out"
expect_match "START over max_session_mb" "^START: Argument list too long" "$out"
reload max_session_mb=64 bufsize_kb=1024
out=$("$top/build/kernel-tests/ioctl_load" -t 0.2 2>&1)
expect_match "START within max_session_mb" "^end: hits=" "$out"
echo "t_38: pass"
