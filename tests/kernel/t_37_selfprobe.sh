#!/bin/bash
# t_37_selfprobe: kprobes on the module's own code are refused (EINVAL):
# NOKPROBE_SYMBOL functions (vt_fire_ctx, vt_run) and plain ones (the VM's
# static op_printf, vt_output_read); optional ones are skipped quietly.
# The module is built without ftrace call sites (no __fentry__ calls).
. "$(dirname "$0")/lib.sh"
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=$top/build/kernel-tests/ioctl_load
for sym in vt_fire_ctx vt_run op_printf vt_output_read vt_halt; do
	grep -qw "$sym" /proc/kallsyms || { echo "t_37: $sym not in kallsyms, skipped"; continue; }
	out=$("$bin" -k "$sym" -t 1 2>&1)
	expect_match "kprobe on $sym" "^START: Invalid argument" "$out"
	echo "t_37: $sym: refused"
	out=$("$bin" -o -k "$sym" -t 1 2>&1)
	expect_match "optional kprobe on $sym" "^end: hits=0 " "$out"
done
# Returns too: a kretprobe on the module's own code is refused as well.
vtrace -e 'probe kernel.function("vt_output_read").return { }' 2>"$TMPDIR_TEST/err"
expect_eq "kretprobe on vt_output_read status" 1 "$?"
expect_match "kretprobe on vt_output_read" "cannot attach probe .*Invalid argument" "$(cat "$TMPDIR_TEST/err")"
grep -q '\[vtrace\]' /sys/kernel/debug/tracing/available_filter_functions 2>/dev/null &&
	fail "vtrace functions are ftrace-able"
no_vtrace_kprobes
echo "t_37: pass"
