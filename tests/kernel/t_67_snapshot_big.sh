#!/bin/bash
# t_67_snapshot_big: snapshots of a big array of strings (hundreds of
# thousands of keys, ioctl_snapbig.c) taken again and again while a probe
# on every CPU inserts into it: firings do not fault BUSY (a snapshot
# copies in chunks, holding the map's lock microseconds, not a whole-map
# copy), the session keeps running, and every copy holds each key
# inserted before it began, once, with its value; after STOP the copy
# is exact.
# vtrace-timeout: 400
. "$(dirname "$0")/lib.sh"
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=$top/build/kernel-tests/ioctl_snapbig
if [ ! -x "$bin" ]; then
	bin=$TMPDIR_TEST/ioctl_snapbig
	gcc -std=c11 -Wall -Wextra -Werror -I"$top/vm" -o "$bin" \
		"$top/tests/kernel/ioctl_snapbig.c" "$top"/vm/*.c || fail "cannot build ioctl_snapbig"
fi
# A big map (1M entries, 117 MB) needs max_session_mb 512.  A loaded
# TCG host stalls vCPUs for hundreds of milliseconds: a 200 ms time cap
# (the longest a firing waits for a map lock) keeps most such stalls
# from faulting, and the overload governor and the deadman are off (the
# copy of a big map takes seconds under TCG; output is read between
# copies).  A snapshot holding the lock across its whole copy (c679835)
# still makes about one BUSY per snapshot.
params=/sys/module/vtrace/parameters
saved=$(for p in max_firing_us max_session_mb overload_percent deadman_s; do echo "$p=$(cat $params/$p)"; done)
trap 'for kv in $saved; do echo "${kv#*=}" >$params/${kv%%=*}; done; rm -rf "$TMPDIR_TEST"' EXIT
echo 200000 >$params/max_firing_us
echo 512 >$params/max_session_mb
echo 0 >$params/overload_percent
echo 0 >$params/deadman_s
before=$(dmesg | wc -l)
"$bin" || fail "ioctl_snapbig failed (status $?)"
if dmesg | tail -n +"$((before + 1))" | grep -E 'WARNING:|BUG:|Oops|Call Trace|soft lockup|rcu.*stall'; then
	fail "the kernel logged a warning during the test"
fi
no_vtrace_kprobes
echo "t_67: pass"
