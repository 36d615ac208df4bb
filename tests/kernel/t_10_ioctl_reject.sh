#!/bin/bash
# t_10_ioctl_reject: malformed VT_IOC_LOAD requests and wrong-state ioctls
# fail with the documented errno, and the kernel logs no warning.
# Runs inside the guest, as root, with vtrace.ko loaded.
set -u
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=$top/build/kernel-tests/ioctl_reject
if [ ! -x "$bin" ]; then
	bin=$(mktemp -d)/ioctl_reject
	gcc -std=c11 -Wall -Wextra -Werror -I"$top/vm" -o "$bin" \
		"$top/tests/kernel/ioctl_reject.c" || {
		echo "t_10: cannot build ioctl_reject"; exit 1; }
fi
before=$(dmesg | wc -l)
"$bin"
rc=$?
if [ $rc -ne 0 ]; then
	echo "t_10: ioctl_reject failed (status $rc)"
	exit 1
fi
if dmesg | tail -n +"$((before + 1))" | grep -E 'WARNING:|BUG:|Oops|Call Trace'; then
	echo "t_10: the kernel logged a warning during the test"
	exit 1
fi
echo "t_10: pass"
