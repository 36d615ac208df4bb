#!/bin/bash
# t_69_timer_flood: a session's timers (all on the CPU that started it)
# and perf clocks (on every CPU) may ask for at most max_timer_hz
# expirations a second of one CPU (default 20,000): 200 timers of 100 us
# (2,000,000/s) are refused at START with ERANGE and the CLI names the
# limit; two such timers (20,000/s) run; a perf clock counts like a timer.
# Then the module is reloaded with max_timer_hz=100000 and
# overload_percent=5: ten 100 us timers with empty bodies are stopped by
# the overload governor, which counts the whole firing path (the timer
# callback and vt_fire_ctx, not only the VM).  Defaults restored on exit.
# vtrace-timeout: 150
. "$(dirname "$0")/lib.sh"
ko=${VTRACE_KO:?VTRACE_KO not set}
trap 'rmmod vtrace 2>/dev/null; insmod "$ko"; rm -rf "$TMPDIR_TEST"' EXIT

# N timers of PERIOD, and an end probe.
timers() {
	local i s='global n'
	for ((i = 0; i < $1; i++)); do s+="
probe timer.us($2) { n++ }"; done
	printf '%s\nprobe end { printf("n=%%d\\n", n) }\n' "$s"
}

start=$SECONDS
out=$(timeout -s INT 30 vtrace -e "$(timers 200 100)" 2>&1)
rc=$?
echo "t_69: 200 timers of 100 us: status $rc after $((SECONDS - start)) s: $out"
expect_eq "flood status" 1 "$rc"
expect_match "flood refused" "^vtrace: the script's timers would fire 2000000 times a second on one CPU, over the module's max_timer_hz \(20000\)" "$out"
[[ $out != *n=* ]] || fail "the flood ran: $out"
expect_eq "max_timer_hz default" 20000 "$(cat /sys/module/vtrace/parameters/max_timer_hz)"

out=$(vtrace -e 'global n
probe timer.us(100) { if (++n == 1000) exit() }
probe timer.us(100) { if (++n == 1000) exit() }
probe end { printf("n=%d\n", n) }' 2>&1)
expect_eq "at the limit: status" 0 "$?"
expect_match "at the limit: it ran" '^n=[1-9][0-9]*$' "$out"

out=$(vtrace -e 'probe perf.sw.cpu_clock.sample(100000) { }
probe timer.us(100) { } probe timer.ms(300) { exit() }' 2>&1)
expect_eq "a perf clock counts: status" 1 "$?"
expect_match "a perf clock counts" "would fire 20004 times a second" "$out"

rmmod vtrace || fail "rmmod"
insmod "$ko" max_timer_hz=100000 overload_percent=5 || fail "insmod"
start=$SECONDS
out=$(timeout -s INT 30 vtrace -e "$(timers 10 100)" 2>&1)
rc=$?
echo "t_69: ten 100 us timers, overload_percent=5: status $rc after $((SECONDS - start)) s"
expect_eq "governor status" 1 "$rc"
expect_match "governor" "^vtrace: probes used [0-9]+% of a CPU.*\(overload\), stopping$" "$out"
echo "t_69: pass"
