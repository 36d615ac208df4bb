#!/bin/bash
# t_36_fd_nonroot: a /dev/vtrace descriptor opened by root and handed to a
# process that dropped its privileges cannot LOAD or START (EPERM); it may
# still STATUS, read and STOP.  tests/kernel/ioctl_fdpriv.c does the work.
. "$(dirname "$0")/lib.sh"
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=$top/build/kernel-tests/ioctl_fdpriv
[ -x "$bin" ] || fail "no $bin (make cli)"
"$bin" || fail "ioctl_fdpriv failed"
# The same through setpriv: root opens fd 3, an unprivileged shell uses it.
out=$(exec 3<>/dev/vtrace; setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all "$bin" --fd 3 2>&1)
rc=$?
echo "$out"
expect_eq "setpriv status" 0 "$rc"
echo "t_36: pass"
