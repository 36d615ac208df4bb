#!/bin/bash
# t_86_kstack_perf: print_backtrace() agrees with perf record -g
# (Debian's linux-perf) on the same workload in the same guest: for a
# read(2) of /proc/version by cat, the function names of vtrace's stack
# at kernel.function("vfs_read") and of perf's callchain at the kprobe
# event probe:vfs_read are the same, frame by frame.  Skipped (exit 0
# with a note) when perf cannot add the kprobe event.
# vtrace-timeout: 240
. "$(dirname "$0")/lib.sh"
command -v perf >/dev/null || { echo "SKIP: no perf"; exit 0; }
cd "$TMPDIR_TEST" || fail "no temp dir"
perf probe -q -d 'probe:vfs_read' >/dev/null 2>&1
if ! perf probe -q -a vfs_read >/dev/null 2>&1; then
	echo "SKIP: perf probe -a vfs_read failed"
	exit 0
fi
trap 'perf probe -q -d "probe:vfs_read" >/dev/null 2>&1; rm -rf "$TMPDIR_TEST"' EXIT
perf record -q -g -e probe:vfs_read -o perf.data -- cat /proc/version >/dev/null 2>perf.err ||
	fail "perf record: $(cat perf.err)"
# perf script -F comm,ip: the sample line, then one address per frame
# (kernel frames first); the first sample of cat, its kernel addresses.
# (Addresses, not names: this perf may not name this kernel's symbols.)
theirs=$(perf script -i perf.data -F comm,ip 2>/dev/null | awk '
	/^ *cat/ { if (done) exit; on = 1; next }
	on && NF >= 1 && $1 ~ /^ffffffff/ { print "0x" $1; next }
	on && NF == 0 { done = 1; on = 0 }')
perf probe -q -d 'probe:vfs_read' >/dev/null 2>&1
ours=$(vtrace -c 'sleep 0.2; cat /proc/version >/dev/null' -e '
probe kernel.function("vfs_read") { if (execname() == "cat") { print(backtrace()); exit() } }' 2>&1 |
	tr ' ' '\n' | grep -E '^0x')
echo "perf:"; echo "$theirs"; echo "vtrace:"; echo "$ours"
[ -n "$theirs" ] || { echo "SKIP: perf recorded no kernel callchain"; exit 0; }
# Frame 0 is the probed address: perf's is regs->ip, past the breakpoint.
d=$(( $(echo "$theirs" | head -1) - $(echo "$ours" | head -1) ))
[ "$d" -ge 0 ] && [ "$d" -le 1 ] || fail "frame 0: perf $(echo "$theirs" | head -1), vtrace $(echo "$ours" | head -1)"
expect_eq "the callers perf record -g saw" "$(echo "$theirs" | tail -n +2)" "$(echo "$ours" | tail -n +2)"
