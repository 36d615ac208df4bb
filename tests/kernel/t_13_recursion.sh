#!/bin/bash
# t_13_recursion: kprobes on functions the firing path itself calls (ring
# buffer, irq_work, clock) and on the module's own probe path must neither
# recurse nor warn: the nested hits are skipped by kprobes or refused at
# registration (NOKPROBE), and the session still works.
# vtrace-timeout: 120
set -u
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=$top/build/kernel-tests/ioctl_load
if [ ! -x "$bin" ]; then
	bin=$(mktemp -d)/ioctl_load
	gcc -std=c11 -Wall -Wextra -Werror -I"$top/vm" -o "$bin" \
		"$top/tests/kernel/ioctl_load.c" || { echo "t_13: cannot build"; exit 1; }
fi
before=$(dmesg | wc -l)
for sym in ring_buffer_lock_reserve ring_buffer_unlock_commit irq_work_queue \
	ktime_get_real_fast_ns vt_fire_ctx vt_host_reserve vt_output_read \
	hrtimer_interrupt; do
	out=$("$bin" -o -p -k $sym -t 1 -w 2000 2>&1)
	rc=$?
	# -w's lower bound only holds for ksys_read; judge the session itself.
	if ! grep -q '^end: ' <<<"$out"; then
		echo "t_13: kprobe on $sym: session failed (status $rc):"
		echo "$out"
		exit 1
	fi
	echo "t_13: $sym: $(grep '^state=' <<<"$out")"
done
# A blacklisted symbol that is not optional is refused at START.
out=$("$bin" -k vt_fire_ctx -t 1 2>&1)
grep -q 'START: Invalid argument' <<<"$out" ||
	{ echo "t_13: kprobe on vt_fire_ctx not refused: $out"; exit 1; }
# Symbols that are data, init text, absent or absurdly long: refused.
long=$(printf 'x%.0s' $(seq 2000))
for sym in jiffies start_kernel exc_int3 vtrace_absent_symbol "$long"; do
	out=$("$bin" -k "$sym" -t 1 2>&1)
	grep -q '^START: ' <<<"$out" ||
		{ echo "t_13: kprobe on ${sym:0:40} not refused: $out"; exit 1; }
	echo "t_13: ${sym:0:40}: $(grep '^START: ' <<<"$out")"
done
if dmesg | tail -n +"$((before + 1))" | grep -E 'WARNING:|BUG:|Oops|Call Trace'; then
	echo "t_13: the kernel logged a warning"
	exit 1
fi
echo "t_13: pass"
