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
[ -x "$bin" ] || fail "$bin not built (make cli)"
# A big map (1M entries, 117 MB) needs max_session_mb 512.  A loaded
# TCG host stalls vCPUs for hundreds of milliseconds: the longest time
# cap (100 ms, the most a firing waits for a map lock) keeps most such
# stalls from faulting, and the overload governor and the deadman are
# off (the copy of a big map takes seconds under TCG; output is read
# between copies).  The limits are fixed at load: reload the module.
# A snapshot holding the lock across its whole copy (c679835) still
# makes about one BUSY per snapshot.
ko=${VTRACE_KO:?VTRACE_KO not set}
trap 'rmmod vtrace 2>/dev/null; insmod "$ko"; rm -rf "$TMPDIR_TEST"' EXIT
rmmod vtrace && insmod "$ko" max_firing_us=100000 max_session_mb=512 \
	overload_percent=0 deadman_s=0 || fail "reload with big limits"
before=$(dmesg | wc -l)
"$bin" || fail "ioctl_snapbig failed (status $?)"
no_kernel_problems "$before"
no_vtrace_kprobes
echo "t_67: pass"
