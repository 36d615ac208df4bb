#!/bin/bash
# t_38_limits: max_sessions (open() beyond fails with EBUSY) and
# max_session_mb (START beyond fails with E2BIG), set through
# /sys/module/vtrace/parameters and restored.
. "$(dirname "$0")/lib.sh"
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
par=/sys/module/vtrace/parameters
old_sessions=$(cat $par/max_sessions)
old_mb=$(cat $par/max_session_mb)
old_buf=$(cat $par/bufsize_kb)
trap 'echo $old_sessions >$par/max_sessions; echo $old_mb >$par/max_session_mb;
	echo $old_buf >$par/bufsize_kb; rm -rf "$TMPDIR_TEST"' EXIT

echo 2 >$par/max_sessions
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
echo "$old_sessions" >$par/max_sessions

echo 1 >$par/max_session_mb
echo 1024 >$par/bufsize_kb	# 2 MiB of ring buffer on 2 CPUs
out=$("$top/build/kernel-tests/ioctl_load" -t 0.2 2>&1)
echo "t_38: max_session_mb=1: $out"
expect_match "START over max_session_mb" "^START: Argument list too long" "$out"
echo 64 >$par/max_session_mb
out=$("$top/build/kernel-tests/ioctl_load" -t 0.2 2>&1)
expect_match "START within max_session_mb" "^end: hits=" "$out"
echo "t_38: pass"
