#!/bin/bash
# t_62_snapshot: VT_IOC_SNAPSHOT of maps built by a hand-made program
# (ioctl_snapshot.c): a LONG array, a scalar statistic with a histogram
# and a statistic keyed by CPU, updated by a kprobe hit READS times by one
# child pinned to each CPU.  Every count must be exact in the copies
# taken while running and after STOP, per CPU value slot and merged.
. "$(dirname "$0")/lib.sh"
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=$top/build/kernel-tests/ioctl_snapshot
if [ ! -x "$bin" ]; then
	bin=$TMPDIR_TEST/ioctl_snapshot
	gcc -std=c11 -Wall -Wextra -Werror -I"$top/vm" -o "$bin" \
		"$top/tests/kernel/ioctl_snapshot.c" || fail "cannot build ioctl_snapshot"
fi
before=$(dmesg | wc -l)
"$bin" -n 2000 || fail "ioctl_snapshot failed (status $?)"
if dmesg | tail -n +"$((before + 1))" | grep -E 'WARNING:|BUG:|Oops|Call Trace'; then
	fail "the kernel logged a warning during the test"
fi
no_vtrace_kprobes
echo "t_62: pass"
