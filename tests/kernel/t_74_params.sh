#!/bin/bash
# t_74_params: the module parameters that guard the kernel are read-only
# in sysfs (0444, even for root) and clamped to a safe range at load,
# with a warning naming each value changed; bufsize_kb and reorder_us stay
# writable (0644) and are clamped where read.  max_budget's clamp is what
# a firing gets: loaded with max_budget=4000000000 and MAXACTION=5000000,
# a spinning probe stops within 1,000,000 instructions (by the budget, or
# by the 100 ms time cap first when the TCG host is loaded).  Defaults
# restored on exit.
. "$(dirname "$0")/lib.sh"
ko=${VTRACE_KO:?VTRACE_KO not set}
par=/sys/module/vtrace/parameters
trap 'rmmod vtrace 2>/dev/null; insmod "$ko"; rm -rf "$TMPDIR_TEST"' EXIT
guards="max_budget max_probes max_timer_hz overload_interval_ms overload_percent
	deadman_s max_sessions max_session_mb max_firing_us"

for p in $guards; do
	expect_eq "$p mode" 444 "$(stat -c %a $par/$p)"
done
for p in bufsize_kb reorder_us; do
	expect_eq "$p mode" 644 "$(stat -c %a $par/$p)"
done
(echo 5 >$par/max_budget) 2>/dev/null && fail "root could write max_budget"
expect_eq "max_budget unchanged" 100000 "$(cat $par/max_budget)"

rmmod vtrace || fail "rmmod"
before=$(dmesg | wc -l)
insmod "$ko" max_budget=4000000000 max_probes=0 max_timer_hz=999999999 \
	overload_interval_ms=1 overload_percent=500 deadman_s=9999999 \
	max_sessions=0 max_session_mb=4000000000 max_firing_us=0 ||
	fail "insmod with out-of-range values"
half_ram=$(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024 / 2))
got=$(for p in $guards; do echo "$p=$(cat $par/$p)"; done | tr '\n' ' ')
echo "t_74: clamped: $got"
expect_match "clamped" "^max_budget=1000000 max_probes=1 max_timer_hz=100000 overload_interval_ms=10 overload_percent=100 deadman_s=86400 max_sessions=1 max_session_mb=[0-9]+ max_firing_us=100 $" "$got"
mb=$(cat $par/max_session_mb)
((mb <= half_ram && mb >= half_ram - 64)) || fail "max_session_mb $mb, half the RAM is $half_ram MiB"
warn=$(dmesg | tail -n +"$((before + 1))")
expect_match "warning" "vtrace: max_budget=4000000000 is out of range 1\.\.1000000: using 1000000" "$warn"
expect_match "warning" "vtrace: max_firing_us=0 is out of range 100\.\.100000: using 100" "$warn"

rmmod vtrace || fail "rmmod"
insmod "$ko" max_budget=4000000000 max_firing_us=100000 || fail "insmod"
out=$(vtrace -D MAXACTION=5000000 -e 'global n
probe begin { while (1) n++ }
probe begin { exit() }
probe end { printf("n=%d\n", n) }' 2>&1)
echo "t_74: max_budget=4000000000, MAXACTION=5000000: $out"
expect_match "budget or time fault" "instruction budget exceeded|time limit of one firing exceeded" "$out"
n=$(sed -n 's/^n=//p' <<<"$out")
[ -n "$n" ] && ((n > 0 && n <= 200000)) ||
	fail "the loop ran $n times: more than 1,000,000 instructions"
echo "t_74: pass"
