#!/bin/bash
# timer.profile fires on every CPU with the interrupted registers
# (user_mode()); timer.hz; perf.sw.page_faults.sample(N); perf.hw.* works
# or fails with a clear message (TCG guests have no PMU).
. "$(dirname "$0")/lib.sh"

ncpu=$(nproc)
# keep every CPU busy in user mode until vtrace is done (however long a
# loaded host makes its start)
spin=()
for ((i = 0; i < ncpu; i++)); do
	sh -c 'while :; do :; done' &
	spin+=($!)
done
out=$(vtrace -e 'global c0, c1, user, hz
probe timer.profile { if (cpu() == 0) c0++; else c1++; if (user_mode()) user++ }
probe timer.hz(50) { hz++ }
probe timer.s(1) { exit() }
probe end { printf("cpu0=%d cpu1=%d user=%d hz=%d\n", c0 > 0, c1 > 0, user > 0, hz >= 20 && hz <= 60) }' 2>&1)
st=$?
kill "${spin[@]}"
wait
expect_eq "profile status" 0 "$st"
if [ "$ncpu" -ge 2 ]; then
	expect_eq "profile on both CPUs" "cpu0=1 cpu1=1 user=1 hz=1" "$out"
fi

out=$(vtrace -e 'global n
probe perf.sw.page_faults.sample(1) { if (pid() == target) n++ }
global target
probe begin { target = -1 }
probe perf.sw.page_faults.sample(1) { t++ }
global t
probe timer.ms(500) { exit() }
probe end { printf("faults=%d\n", t > 0 && n >= 0) }' 2>&1)
expect_eq "page faults" "faults=1" "$out"

out=$(vtrace -e 'probe perf.hw.cpu_cycles.sample(1000000) { n++ } global n probe timer.ms(300) { exit() } probe end { if (n >= 0) printf("cycles ok\n") }' 2>&1)
st=$?
if [ $st -ne 0 ]; then
	expect_match "hardware event error" 'cannot attach probe perf\.hw\.cpu_cycles\.sample\(1000000\): .*not available on this machine' "$out"
else
	expect_eq "hardware event" "cycles ok" "$out"
fi
echo "perf.hw.cpu_cycles: status $st: $out"
