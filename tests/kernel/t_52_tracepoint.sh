#!/bin/bash
# kernel.trace: per-CPU perf events on the tracepoint; fields typed from
# the event's format file: __data_loc strings, char[N], signed numbers.
. "$(dirname "$0")/lib.sh"

marker="$TMPDIR_TEST/vt_marker_exec"
cp /bin/true "$marker"
vtrace -e 'global n, same, t
probe kernel.trace("sched:sched_process_exec") {
	if ($filename == "'"$marker"'") {
		n++
		if ($pid == pid() && $old_pid == $pid) same++
		if (n == 1) printf("%s %s\n%s\n", pp(), $filename, $$parms)
	}
}
probe kernel.trace("sched_switch") { if ($prev_pid == tid() && $prev_comm == execname()) t++ }
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }
global armed
probe end { printf("n=%d same=%d switch=%d\n", n, same, t > 0) }' \
	>"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 60
for i in 1 2 3; do "$marker"; done
kill -INT $pid
wait $pid
expect_eq "status" 0 "$?"
out=$(cat "$TMPDIR_TEST/out" "$TMPDIR_TEST/err")
expect_match "first exec" "^kernel\.trace\(\"sched:sched_process_exec\"\) $marker\$" "$out"
expect_match "counts" '^n=3 same=3 switch=1$' "$out"
expect_match "\$\$parms" "^filename=\"$marker\" pid=[0-9]+ old_pid=[0-9]+\$" "$out"

# Unknown event and field: errors with suggestions.
out=$(vtrace -e 'probe kernel.trace("sched_process_exce") { }' 2>&1)
expect_match "no such event" "did you mean 'sched_process_exec'" "$out"
out=$(vtrace -e 'probe kernel.trace("sched:sched_process_exec") { print($filenam) }' 2>&1)
expect_match "no such field" "no field 'filenam'; did you mean 'filename'" "$out"
