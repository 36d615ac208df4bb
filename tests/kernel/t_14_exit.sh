#!/bin/bash
# t_14_exit: exit() called from a timer probe emits one EXIT record and
# wakes a reader blocked in read(2) (through the module's irq_work); the
# loader then stops the session, end runs once, and read returns EOF.
set -u
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=$top/build/kernel-tests/ioctl_load
if [ ! -x "$bin" ]; then
	bin=$(mktemp -d)/ioctl_load
	gcc -std=c11 -Wall -Wextra -Werror -I"$top/vm" -o "$bin" \
		"$top/tests/kernel/ioctl_load.c" || { echo "t_14: cannot build"; exit 1; }
fi
for mode in -b ""; do
	out=$(timeout 60 "$bin" -t 0 -x 5 $mode 2>&1)
	rc=$?
	[ $rc -eq 0 ] || { echo "t_14: loader $mode failed ($rc): $out"; exit 1; }
	grep -q 'exit=1 ' <<<"$out" || { echo "t_14: exit_requested not set: $out"; exit 1; }
	grep -q 'exit=1 out-of' <<<"$out" || { echo "t_14: not one EXIT record: $out"; exit 1; }
	grep -q '^end: hits=[0-9]* ticks=5$' <<<"$out" ||
		{ echo "t_14: timer ran after exit() or end missing: $out"; exit 1; }
	grep -q '^begin: hello 42' <<<"$out" || { echo "t_14: begin missing: $out"; exit 1; }
done
echo "t_14: pass"
