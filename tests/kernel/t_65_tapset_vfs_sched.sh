#!/bin/bash
# The vfs and scheduler tapsets (tapset/vfs.stp, tapset/scheduler.stp):
# dd's 512-byte reads and writes through vfs.read/.write(.return),
# sched_switch aliases around sleep, fork/exec/exit/wakeup_new of a
# /bin/true, -l and -L listing the aliases, and every variable of every
# alias compiling against this kernel's BTF and tracepoint formats.
# vtrace-timeout: 120
. "$(dirname "$0")/lib.sh"

N=7
vtrace -e 'global rn, rb, wn, wb, rrn, rrb, wrn, wrb
global sw, on, off, idles, wake, forked, wnew, armed
# dd reads and writes other sizes too (ld.so, its stderr record): only
# the bs=512 transfers are counted, which must be exactly N each.
probe vfs.read { if (execname() == "dd" && bytes_to_read == 512) { rn++; rb += bytes_to_read } }
probe vfs.write { if (execname() == "dd" && bytes_to_write == 512) { wn++; wb += bytes_to_write } }
probe vfs.read.return {
	if (execname() == "dd" && bytes_to_read == 512 && error == 0) { rrn++; rrb += bytes_read }
}
probe vfs.write.return {
	if (execname() == "dd" && bytes_to_write == 512 && retstr == "512") { wrn++; wrb += bytes_written }
}
probe scheduler.ctxswitch {
	if (next_task_name == "sleep" || prev_task_name == "sleep") sw++
}
probe scheduler.cpu_on { if (next_task_name == "sleep") on++; if (idle) idles++ }
probe scheduler.cpu_off { if (prev_task_name == "sleep") off++; if (idle) idles++ }
probe scheduler.wakeup { if (task_name == "sleep") wake++ }
probe scheduler.process_fork { forked[child_pid] = parent_pid }
probe scheduler.wakeup_new { if (task_pid in forked) wnew[task_pid] = 1 }
probe scheduler.process_exec {
	if (filename == "/bin/true")
		printf("exec %d %d %d %d\n", pid, old_pid, pid in forked, pid in wnew)
}
probe scheduler.process_exit { if (task_name == "true") printf("exit %d\n", pid) }
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }
probe end {
	printf("vfs %d %d %d %d %d %d %d %d\n", rn, rb, wn, wb, rrn, rrb, wrn, wrb)
	printf("sched %d %d %d %d %d\n", sw > 0, on > 0, off > 0, idles > 0, wake > 0)
}' >"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 60
dd if=/dev/zero of=/dev/null bs=512 count=$N 2>/dev/null
for i in 1 2 3; do sleep 0.2; done
/bin/true &
tpid=$!
wait $tpid
sleep 0.2
kill -INT $pid
wait $pid
expect_eq "status" 0 "$?"
expect_eq "stderr" "" "$(cat "$TMPDIR_TEST/err")"
out=$(cat "$TMPDIR_TEST/out")
b=$((512 * N))
expect_eq "vfs counts" "vfs $N $b $N $b $N $b $N $b" "$(grep '^vfs ' <<<"$out")"
expect_eq "sched counts" "sched 1 1 1 1 1" "$(grep '^sched ' <<<"$out")"
expect_eq "exec" "exec $tpid $tpid 1 1" "$(grep '^exec ' <<<"$out")"
expect_eq "exit" "exit $tpid" "$(grep '^exit ' <<<"$out")"

out=$(vtrace -l 'scheduler.*' | tr '\n' ' ')
expect_eq "-l scheduler" "scheduler.cpu_off scheduler.cpu_on scheduler.ctxswitch scheduler.migrate scheduler.process_exec scheduler.process_exit scheduler.process_fork scheduler.wakeup scheduler.wakeup_new " "$out"
out=$(vtrace -l 'vfs.*' | tr '\n' ' ')
expect_eq "-l vfs" "vfs.open vfs.open.return vfs.read vfs.read.return vfs.write vfs.write.return " "$out"

# Each alias with the variables it must have; each compiles reading all.
while read -r alias vars; do
	expect_eq "-L $alias" "$alias $vars" "$(vtrace -L "$alias")"
	body=
	for v in $vars; do body="$body print($v)"; done
	vtrace -p2 -e "probe $alias {$body }" >/dev/null 2>"$TMPDIR_TEST/cerr" ||
		fail "$alias: $(cat "$TMPDIR_TEST/cerr")"
done <<'EOF'
vfs.read name file dev devname ino buf bytes_to_read pos argstr
vfs.read.return name file dev devname ino buf bytes_to_read pos ret bytes_read error error_str retstr
vfs.write name file dev devname ino buf bytes_to_write pos argstr
vfs.write.return name file dev devname ino buf bytes_to_write pos ret bytes_written error error_str retstr
vfs.open name path file argstr
vfs.open.return name path file ret error error_str retstr
scheduler.ctxswitch name prev_pid prev_tid next_pid next_tid prev_task_name next_task_name prev_priority next_priority prevtsk_state nexttsk_state
scheduler.cpu_on name task_prev idle next_pid next_task_name next_priority
scheduler.cpu_off name task_prev task_next idle prev_pid prev_task_name prev_priority prevtsk_state
scheduler.wakeup name task_pid task_tid task_priority task_cpu task_name
scheduler.wakeup_new name task_pid task_tid task_priority task_cpu task_name
scheduler.migrate name task pid priority cpu_from cpu_to task_name
scheduler.process_fork name parent_pid child_pid parent_name child_name
scheduler.process_exit name pid priority task_name
scheduler.process_exec name filename pid old_pid
EOF
