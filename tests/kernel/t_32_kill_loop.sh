#!/bin/bash
# t_32_kill_loop: SIGKILL the consumer 50 times at random moments (0-300
# ms after it started) while hot probes fire (a kprobe on ksys_read, a
# 1 ms timer, dd reading in the background).  After each kill: no vtrace
# kprobe left, rmmod works, insmod works; no warning in dmesg at the end.
# The consumer is the vtrace CLI every 5th time and the stand-in loader
# (tests/kernel/ioctl_load: same probes, no compile) otherwise, which
# keeps the 50 rounds near 100 s under TCG (rmmod + insmod are ~1.2 s).
# vtrace-timeout: 300
. "$(dirname "$0")/lib.sh"
ko=${VTRACE_KO:?VTRACE_KO not set}
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
list=/sys/kernel/debug/kprobes/list
N=${VTRACE_TEST_KILLS:-50}
before=$(dmesg | wc -l)
(while :; do dd if=/dev/zero of=/dev/null bs=1 count=2000 2>/dev/null; done) &
rpid=$!
trap 'kill $rpid 2>/dev/null; wait $rpid 2>/dev/null; grep -q "^vtrace " /proc/modules || insmod "$ko"; rm -rf "$TMPDIR_TEST"' EXIT
script='global n, t
probe kernel.function("ksys_read") { n++; if (n % 64 == 0) printf("%d %s\n", n, execname()) }
probe timer.ms(1) { t++ }
probe end { printf("n=%d t=%d\n", n, t) }'
armed=0
start=$SECONDS
for ((i = 1; i <= N; i++)); do
	if ((i % 5 == 0)); then
		vtrace -e "$script" >/dev/null 2>&1 &
	else
		"$top/build/kernel-tests/ioctl_load" -t 0 -p -m 1 >/dev/null 2>&1 &
	fi
	pid=$!
	sleep "0.$(printf '%03d' $((RANDOM % 300)))"
	grep -q ksys_read $list && armed=$((armed + 1))
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	grep -q '\[vtrace\]\|vt_' $list 2>/dev/null && fail "kill $i: probes left: $(cat $list)"
	grep ksys_read $list && fail "kill $i: ksys_read still probed"
	rmmod vtrace || fail "kill $i: rmmod vtrace failed"
	insmod "$ko" || fail "kill $i: insmod failed"
	for _ in $(seq 50); do [ -c /dev/vtrace ] && break; sleep 0.05; done
	((i % 10 == 0)) && echo "t_32: $i kills, $((SECONDS - start)) s"
done
echo "t_32: $N kills in $((SECONDS - start)) s; probes were armed at $armed of them"
if dmesg | tail -n +"$((before + 1))" | grep -E 'WARNING:|BUG:|Oops|Call Trace'; then
	fail "the kernel logged a warning"
fi
echo "t_32: pass"
