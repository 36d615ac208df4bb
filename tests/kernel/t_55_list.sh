#!/bin/bash
# vtrace -l / -L: probe points of the running kernel matching a glob.
. "$(dirname "$0")/lib.sh"

out=$(vtrace -L 'kernel.trace("sched:sched_process_exec")')
# the prototype's arguments (BTF) first, then the fields not named like one
expect_eq "-L tracepoint" 'kernel.trace("sched:sched_process_exec") $p:struct task_struct * $old_pid:pid_t $bprm:struct linux_binprm * $filename:string $pid:long' "$out"
out=$(vtrace -l 'kernel.trace("sched:sched_process_exec")')
expect_eq "-l tracepoint" 'kernel.trace("sched:sched_process_exec")' "$out"
out=$(vtrace -l 'kernel.function("ksys_rea*")')
expect_match "-l functions" '^kernel\.function\("ksys_read"\)$' "$out"
out=$(vtrace -l 'syscall.openat')
expect_eq "-l syscall" "syscall.openat" "$out"
n=$(vtrace -l 'kernel.trace("syscalls:*")' | wc -l)
[ "$n" -ge 100 ] || fail "only $n syscalls tracepoints listed"
out=$(vtrace -l 'begin')
expect_eq "-l begin" "begin" "$out"
out=$(vtrace -l 'no.such.point' 2>&1)
expect_eq "-l no match status" 1 "$?"
expect_match "-l no match" "no probe point matches" "$out"
