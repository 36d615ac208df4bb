#!/bin/bash
# t_80_rawtp: kernel.trace probes that read only the tracepoint's
# arguments attach raw (tracepoint_probe_register, probe_rawtp.c).
#  - sched_switch: $prev is the task switched out, so task_current() on
#    every firing; $prev and $next are kernel addresses; _deref of the
#    task reads what kernel_long reads; a raw and a perf probe on the
#    same tracepoint in one session count about the same firings;
#  - a probe reading an argument and a field is refused; -L lists both;
#  - 20 sessions on sched_switch killed at random moments under load,
#    then rmmod and insmod work, and the kernel logs nothing.
# vtrace-timeout: 300
. "$(dirname "$0")/lib.sh"
ko=${VTRACE_KO:?VTRACE_KO not set}
before=$(dmesg | wc -l)
# Context switches on both CPUs (an idle guest makes ~30 a second).
(while :; do sleep 0.001; done) &
l1=$!
(while :; do sleep 0.001; done) &
l2=$!
trap 'kill $l1 $l2 2>/dev/null; wait $l1 $l2 2>/dev/null; grep -q "^vtrace " /proc/modules || insmod "$ko"; rm -rf "$TMPDIR_TEST"' EXIT

vtrace -e 'global raw, perf, notcur, notk, same, differ
probe kernel.trace("sched_switch") {
	raw <<< 1
	if ($prev != task_current()) notcur++
	if ($prev >= 0 || $next >= 0) notk++
	if (_deref($next, 8) == kernel_long($next)) same++; else differ++
}
probe kernel.trace("sched:sched_switch") { perf <<< $prev_pid >= 0 }
probe timer.s(3) { exit() }
probe end {
	printf("raw=%d perf=%d notcur=%d notk=%d same=%d differ=%d\n",
	       @count(raw), @count(perf), notcur, notk, same, differ)
}' >"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err"
expect_eq "status" 0 "$?"
out=$(cat "$TMPDIR_TEST/out" "$TMPDIR_TEST/err")
echo "t_80: $out"
expect_match "counts" '^raw=[0-9]+ perf=[0-9]+ notcur=0 notk=0 same=[0-9]+ differ=[0-9]+$' "$out"
raw=$(sed -n 's/^raw=\([0-9]*\) .*/\1/p' <<<"$out")
perf=$(sed -n 's/.* perf=\([0-9]*\) .*/\1/p' <<<"$out")
same=$(sed -n 's/.* same=\([0-9]*\) .*/\1/p' <<<"$out")
((raw > 100)) || fail "only $raw raw firings in 3 s"
# the two probes are armed a moment apart: within 10 % of each other
((raw * 10 > perf * 9 && perf * 10 > raw * 9)) || fail "raw $raw vs perf $perf"
# a word of a task that is switching in rarely changes between two reads
((same * 100 > raw * 99)) || fail "_deref agreed with kernel_long $same of $raw times"

# An argument and a field in one probe: refused, saying why.
out=$(vtrace -e 'probe kernel.trace("sched_switch") { printf("%x %d\n", $prev, $next_pid) }' 2>&1)
expect_match "mixed" "error: '\\\$prev' is an argument of tracepoint sched_switch, which this probe reads through its format fields" "$out"
out=$(vtrace -L 'kernel.trace("sched:sched_switch")' 2>&1)
expect_match "-L" '\$prev:struct task_struct \* \$next:struct task_struct \* .*\$prev_pid:long' "$out"

# Teardown under load: sessions killed while every CPU switches.
for ((i = 1; i <= 20; i++)); do
	vtrace -e 'global n
probe kernel.trace("sched_switch") { n += $prev_state & 1 }' >/dev/null 2>&1 &
	pid=$!
	sleep "$((RANDOM % 2)).$(printf '%03d' $((RANDOM % 1000)))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
done
kill $l1 $l2
wait $l1 $l2 2>/dev/null
rmmod vtrace || fail "rmmod vtrace failed"
insmod "$ko" || fail "insmod failed"
for _ in $(seq 50); do [ -c /dev/vtrace ] && break; sleep 0.05; done
no_kernel_problems "$before"
echo "t_80: pass"
