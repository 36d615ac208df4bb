#!/bin/sh
# The guest harness itself: we run on the kernel tests/vm/run booted, as
# root, with vtrace.ko loaded (/dev/vtrace exists) and the CLI on PATH.
set -eu

fail() {
	echo "t_00_harness: $*" >&2
	exit 1
}

[ -n "${VTRACE_KVER:-}" ] || fail "VTRACE_KVER is not set"
[ "$(uname -r)" = "$VTRACE_KVER" ] ||
	fail "running kernel $(uname -r), expected $VTRACE_KVER"
[ "$(id -u)" -eq 0 ] || fail "not root"
[ -f "${VTRACE_KO:-}" ] || fail "VTRACE_KO ('${VTRACE_KO:-}') is not a file"
grep -q '^vtrace ' /proc/modules || fail "vtrace is not loaded"
[ -c /dev/vtrace ] || fail "/dev/vtrace is missing or not a character device"
[ -r /sys/kernel/debug/kprobes/list ] || fail "debugfs kprobes list not readable"
[ -d /sys/kernel/tracing/events ] || fail "tracefs not mounted"
top=${VTRACE_TOP:?VTRACE_TOP is not set}
case ":$PATH:" in
*":$top/build:"*) ;;
*) fail "$top/build is not on PATH ($PATH)" ;;
esac
echo "kernel $(uname -r), vtrace loaded, /dev/vtrace present"
