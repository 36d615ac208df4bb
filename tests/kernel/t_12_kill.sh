#!/bin/bash
# t_12_kill: SIGKILL a tracer while its kprobe and timer are armed; the
# release path must remove every probe, and the module must then unload
# and load again.  Uses the CLI (build/vtrace) when it is built, else the
# stand-in loader tests/kernel/ioctl_load.
set -u
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
ko=${VTRACE_KO:?VTRACE_KO not set}
list=/sys/kernel/debug/kprobes/list
tmp=$(mktemp -d)

fail() {
	echo "t_12: $*"
	[ -n "${pid:-}" ] && kill -9 "$pid" 2>/dev/null
	exit 1
}

[ -e $list ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -r $list ] || fail "no $list"
grep -q ksys_read $list && fail "ksys_read already probed before the test"

if [ -x "$top/build/vtrace" ]; then
	"$top/build/vtrace" -e 'probe kernel.function("ksys_read") {} probe timer.ms(10) {}' \
		>"$tmp/out" 2>&1 &
else
	bin=$top/build/kernel-tests/ioctl_load
	if [ ! -x "$bin" ]; then
		bin=$tmp/ioctl_load
		gcc -std=c11 -Wall -Wextra -Werror -I"$top/vm" -o "$bin" \
			"$top/tests/kernel/ioctl_load.c" || fail "cannot build ioctl_load"
	fi
	"$bin" -t 0 -p >"$tmp/out" 2>&1 &
fi
pid=$!
echo "t_12: tracer: $(ps -o args= -p $pid)"

# Wait until the kprobe is armed, with reads going on so it fires.
for _ in $(seq 100); do
	grep -q ksys_read $list && break
	kill -0 $pid 2>/dev/null || fail "tracer exited early: $(cat "$tmp/out")"
	sleep 0.1
done
grep -q ksys_read $list || fail "kprobe on ksys_read never appeared"
echo "t_12: armed: $(grep ksys_read $list)"
dd if=/dev/zero of=/dev/null bs=1 count=20000 2>/dev/null
sleep 0.5

kill -9 $pid
wait $pid 2>/dev/null
pid=

grep ksys_read $list && fail "kprobe still registered after SIGKILL"
rmmod vtrace || fail "rmmod vtrace failed after SIGKILL"
[ -e /dev/vtrace ] && fail "/dev/vtrace still present after rmmod"
insmod "$ko" || fail "re-insmod $ko failed"
for _ in $(seq 50); do
	[ -c /dev/vtrace ] && break
	sleep 0.1
done
[ -c /dev/vtrace ] || fail "/dev/vtrace missing after re-insmod"
if dmesg | grep -E 'WARNING:|BUG:|Oops' ; then
	fail "the kernel logged a warning"
fi
echo "t_12: pass"
