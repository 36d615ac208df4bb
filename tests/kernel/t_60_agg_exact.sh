#!/bin/bash
# t_60_agg_exact: statistics are exact under concurrency.  One dd pinned
# to each CPU makes N read(2)s of 7 bytes at the same time; each one
# adds 1 to the statistic s and to c[cpu()].  timer.profile adds 0 to s
# meanwhile, from interrupts on the same CPUs: with firings running with
# interrupts off and one value slot per CPU (two: NMI apart), no update
# can be lost, so @sum(s) is exactly N x CPUs, @count(s) is that plus
# the profile hits, and each c[cpu] is exactly N; so is each n[cpu]++
# (an array element: an atomic add).
# vtrace-timeout: 240
. "$(dirname "$0")/lib.sh"

N=${VTRACE_TEST_AGG_N:-20000}
ncpu=$(nproc)
timeout 150 vtrace -e 'global s, c, n, armed
probe syscall.read { if (execname() == "dd" && $arg3 == 7) { s <<< 1; c[cpu()] <<< 1; n[cpu()]++ } }
probe timer.profile { s <<< 0 }
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }
probe end {
	printf("sum=%d count_over_sum=%d\n", @sum(s), @count(s) > @sum(s))
	foreach (k+ in c) printf("cpu%d=%d n=%d\n", k, @count(c[k]), n[k])
}' >"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 60
pids=()
for ((i = 0; i < ncpu; i++)); do
	timeout 100 taskset -c "$i" dd if=/dev/zero of=/dev/null bs=7 count="$N" 2>/dev/null &
	pids+=($!)
done
for p in "${pids[@]}"; do
	wait "$p" || fail "dd on a CPU failed"
done
kill -INT $pid
wait $pid
st=$?
[ $st -eq 0 ] || fail "status $st: $(cat "$TMPDIR_TEST/out" "$TMPDIR_TEST/err")"
out=$(grep -v '^armed$' "$TMPDIR_TEST/out")
want="sum=$((N * ncpu)) count_over_sum=1"
for ((i = 0; i < ncpu; i++)); do
	want+=$'\n'"cpu$i=$N n=$N"
done
expect_eq "exact aggregates" "$want" "$out"
if [ -s "$TMPDIR_TEST/err" ]; then
	fail "stderr: $(cat "$TMPDIR_TEST/err")"
fi
echo "t_60: pass ($ncpu CPUs x $N reads)"
