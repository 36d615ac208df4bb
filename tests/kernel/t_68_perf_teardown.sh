#!/bin/bash
# t_68_perf_teardown: sessions on a tracepoint (raw_syscalls:sys_enter)
# and on a software perf event (context switches) started and closed in
# a loop while another perf user (perf_teardown.c's own counters) holds
# the same events, with both CPUs hitting them: the kernel does not wait
# for handlers in flight when a counter that is not the event's last user
# is released, so the module must (one grace period before it frees the
# handlers' context and the session).  No oops, no warning.
# vtrace-timeout: 240
. "$(dirname "$0")/lib.sh"
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
id=$(cat /sys/kernel/tracing/events/raw_syscalls/sys_enter/id) ||
	fail "no raw_syscalls:sys_enter in tracefs"
N=${VTRACE_TEST_ROUNDS:-300}
before=$(dmesg | wc -l)
start=$SECONDS
out=$("$top/build/kernel-tests/perf_teardown" "$id" "$N" 2>&1)
rc=$?
echo "t_68: $out in $((SECONDS - start)) s"
expect_eq "status" 0 "$rc"
expect_match "rounds" "^rounds $N firings [1-9][0-9]*$" "$out"
if dmesg | tail -n +"$((before + 1))" | grep -E 'WARNING:|BUG:|Oops|Call Trace'; then
	fail "the kernel logged a warning"
fi
echo "t_68: pass"
