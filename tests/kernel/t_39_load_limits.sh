#!/bin/bash
# t_39_load_limits: LOAD of a near-16 MiB worst-case image (issue 9,
# finding 3; tests/kernel/ioctl_bigload.c).  It loads in bounded time
# (under 60 s in a TCG guest), about linear in its size (at most 100
# times the time of the same image 16 times smaller, 256 if quadratic); SIGKILL in the middle of
# such a LOAD stops it (the session, shared with a process that lives on,
# stays EMPTY) and ends the process; afterwards no session is left (rmmod
# works) and dmesg has no warning, lockup or stall.
# vtrace-timeout: 300
. "$(dirname "$0")/lib.sh"
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
ko=${VTRACE_KO:?VTRACE_KO not set}
bin=$top/build/kernel-tests/ioctl_bigload
before=$(dmesg | wc -l)

out=$("$bin" -k 12 2>&1) || fail "ioctl_bigload: $out"
echo "$out" | sed 's/^/t_39: /'
line=$(echo "$out" | grep '^bigload: .* loaded in')
read -r small_ms big_ms < <(echo "$line" |
	sed -n 's/.*loaded in \([0-9.]*\) ms, [0-9]* bytes in \([0-9.]*\) ms/\1 \2/p')
[ -n "$big_ms" ] || fail "no load times in: $out"
awk -v s="$small_ms" -v b="$big_ms" 'BEGIN { exit !(b < 60000) }' ||
	fail "the 16 MiB LOAD took $big_ms ms"
# 16 times the bytes: 16 times the time if linear, 256 if quadratic; the
# bound leaves room for the noise of a TCG guest on a busy host.
awk -v s="$small_ms" -v b="$big_ms" 'BEGIN { exit !(b <= 100 * s + 100) }' ||
	fail "LOAD not linear: 1/16 of the image $small_ms ms, all $big_ms ms"

kills=$(echo "$out" | sed -n 's/^bigload: [0-9]* kills, \([0-9]*\) during a LOAD, \([0-9]*\) stopped it, slowest death \([0-9.]*\) ms/\1 \2 \3/p')
read -r hits nstopped worst <<<"$kills"
[ -n "$worst" ] || fail "no kill summary in: $out"
# The kills come within 3/4 of the fastest LOAD seen: most land during
# the LOAD (all but for the noise of a TCG guest on a busy host), and each
# of those must stop it (its session stays EMPTY).
[ "$hits" -ge 8 ] || fail "only $hits of 12 kills landed during a LOAD"
expect_eq "LOADs a kill stopped" "$hits" "$nstopped"
# Dying takes the host's time too (TCG guests on a busy machine).
awk -v w="$worst" 'BEGIN { exit !(w < 30000) }' ||
	fail "a killed LOAD took $worst ms to end"

rmmod vtrace || fail "rmmod vtrace failed after the kills"
insmod "$ko" || fail "re-insmod $ko failed"
for _ in $(seq 50); do
	[ -c /dev/vtrace ] && break
	sleep 0.1
done
[ -c /dev/vtrace ] || fail "/dev/vtrace missing after re-insmod"
if dmesg | tail -n +"$((before + 1))" |
	grep -E 'WARNING:|BUG:|Oops|Call Trace|soft lockup|rcu.*stall|blocked for more than'; then
	fail "the kernel logged a warning"
fi
echo "t_39: pass"
