#!/bin/bash
# syscall.NAME / .return / syscall.* on raw_syscalls:sys_enter/sys_exit,
# filtered by syscall number; name, $arg1..6, $return.
. "$(dirname "$0")/lib.sh"

vtrace -e 'global nin, nret, nall, names
probe syscall.read { if (execname() == "dd" && $arg3 == 7 && name == "read") nin++ }
probe syscall.read.return { if (execname() == "dd" && $return == 7) nret++ }
probe syscall.* { if (execname() == "dd" && name == "write" && $arg3 == 7) nall++ }
probe syscall.close, syscall.openat { if (execname() == "dd" && name != "close" && name != "openat") names++ }
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }
global armed
probe end { printf("in=%d ret=%d write=%d badnames=%d\n", nin, nret, nall, names) }' \
	>"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 60
dd if=/dev/zero of=/dev/null bs=7 count=5 2>/dev/null
kill -INT $pid
wait $pid
expect_eq "status" 0 "$?"
line=$(grep '^in=' "$TMPDIR_TEST/out")
expect_match "syscall counts" '^in=5 ret=5 write=5 badnames=0$' "$line"

out=$(vtrace -e 'probe syscall.raed { }' 2>&1)
expect_match "unknown syscall" "no match for syscall.raed .*did you mean 'read'" "$out"
