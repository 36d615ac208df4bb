#!/bin/bash
# t_81_types: typed target expressions (issue 11) against this kernel's
# own BTF: in vfs_read, $file->f_path->dentry->d_name->name (four
# _deref reads, one kernel_string) names the file cat reads, and
# @cast(task_current(), "task_struct")->tgid equals pid().
# vtrace-timeout: 120
. "$(dirname "$0")/lib.sh"

vtrace -e 'global checked
probe kernel.function("vfs_read") {
	if (execname() == "cat") {
		println(kernel_string($file->f_path->dentry->d_name->name))
		if (!checked++)
			printf("tgid %d\n", @cast(task_current(), "task_struct")->tgid == pid())
	}
}
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }
global armed' >"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 60
cat /etc/hostname >/dev/null
sleep 0.3
kill -INT $pid
wait $pid
expect_eq "status" 0 "$?"
expect_eq "stderr" "" "$(cat "$TMPDIR_TEST/err")"
out=$(cat "$TMPDIR_TEST/out")
echo "t_81: $(tr '\n' ' ' <<<"$out")"
grep -qx hostname <<<"$out" || fail "no 'hostname' line in [$out]"
expect_eq "tgid" "tgid 1" "$(grep '^tgid ' <<<"$out")"
echo "t_81: pass"
