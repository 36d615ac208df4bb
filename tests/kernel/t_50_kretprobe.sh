#!/bin/bash
# kernel.function("F").return is a kretprobe with $return and @entry();
# $return has F's BTF return type (an int errno reads as negative, a void
# F is a compile error); .call is the entry; probefunc(), pp(),
# int_arg(n), register("rdx") read the probed context; reading registers
# in begin is a runtime error naming the line.
. "$(dirname "$0")/lib.sh"

# dd reads 5 x 7 bytes of /dev/zero through ksys_read(fd, buf, count).
vtrace -e 'global nret, nent, bad
probe kernel.function("ksys_read").return {
	if (execname() == "dd" && $return == 7) {
		nret++
		if (nret == 1)
			printf("ret %s %s %s\n", probefunc(), ppfunc(), pp())
	}
}
probe kernel.function("ksys_read").call {
	if (execname() == "dd" && int_arg(3) == 7) {
		nent++
		if (register("rdx") != 7 || uint_arg(3) != 7 || long_arg(3) != 7 || ulong_arg(3) != 7 || register("dx") != 7)
			bad++
		if (nent == 1)
			printf("call %s %s\n", probefunc(), pp())
	}
}
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }
global armed
probe end { printf("nret=%d nent=%d bad=%d\n", nret, nent, bad) }' \
	>"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 60
dd if=/dev/zero of=/dev/null bs=7 count=5 2>/dev/null
kill -INT $pid
wait $pid
expect_eq "status after SIGINT" 0 "$?"
out=$(cat "$TMPDIR_TEST/out")
expect_match "return line" '^ret ksys_read ksys_read kernel\.function\("ksys_read"\)\.return$' "$out"
expect_match "call line" '^call ksys_read kernel\.function\("ksys_read"\)\.call$' "$out"
line=$(grep '^nret=' "$TMPDIR_TEST/out")
nret=$(echo "$line" | sed 's/nret=\([0-9]*\).*/\1/')
nent=$(echo "$line" | sed 's/.*nent=\([0-9]*\).*/\1/')
[ "$nret" -ge 5 ] || fail "kretprobe saw $nret returns of 7 for 5 reads: $out"
[ "$nent" -ge 5 ] || fail "entry saw $nent calls with count 7 for 5 reads: $out"
expect_match "registers agree" 'bad=0$' "$line"

# @entry(EXPR) in a return probe: EXPR evaluated at the call ($count by
# name, from the kernel's BTF, or int_arg(3)).  dd reads 4 x 9 bytes: the
# count argument seen at entry is 9 for 4 returns of 9.
rm -f "$TMPDIR_TEST/out"	# not the last run's "armed"
vtrace -e 'global n, ok, armed
probe kernel.function("ksys_read").return {
	if (execname() == "dd" && @entry($count) == 9) {
		n++
		if ($return == @entry(int_arg(3)))
			ok++
	}
}
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }
probe end { printf("entry n=%d ok=%d\n", n, ok) }' \
	>"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 60
dd if=/dev/zero of=/dev/null bs=9 count=4 2>/dev/null
kill -INT $pid
wait $pid
expect_eq "@entry status" 0 "$?"
expect_eq "@entry values" "entry n=4 ok=4" "$(grep '^entry' "$TMPDIR_TEST/out")"
out=$(vtrace -p2 -e 'probe kernel.function("ksys_read") { printf("%d %d %p", $fd, $count, $buf) }' 2>&1)
expect_match "BTF parameters" 'printf\("%d %d %p", uint_arg\(1\), ulong_arg\(3\), pointer_arg\(2\)\)' "$out"
out=$(vtrace -p2 -e 'probe kernel.function("ksys_read") { print($fdd) }' 2>&1)
expect_match "unknown parameter" "ksys_read has no parameter 'fdd'; did you mean 'fd'\?" "$out"
out=$(vtrace -e 'probe kernel.function("ksys_read") { print(@entry(1)) }' 2>&1)
expect_match "@entry outside .return" "@entry needs a function's .return probe" "$out"

# $return as F's type: do_unlinkat returns int, so unlink's -ENOENT is -2
# (not 4294967294, if rax's high half is zero); kfree returns void.
rm -f "$TMPDIR_TEST/out"	# not the last run's "armed"
vtrace -e 'global armed
probe kernel.function("do_unlinkat").return {
	if (execname() == "unlink") { printf("unlink %d\n", $return); exit() } }
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }' \
	>"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 60
unlink "$TMPDIR_TEST/no-such-file" 2>/dev/null
for ((i = 0; i < 100; i++)); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
kill -INT $pid 2>/dev/null
wait $pid
expect_eq "int \$return status" 0 "$?"
expect_eq "int \$return" "unlink -2" "$(grep '^unlink' "$TMPDIR_TEST/out")"
out=$(vtrace -p2 -e 'probe kernel.function("do_unlinkat").return { print($return) }' 2>&1)
expect_match "int \$return narrowed" 'print\(register\(0\) << 32 >> 32\)' "$out"
out=$(vtrace -p2 -e 'probe kernel.function("kfree").return { print($return) }' 2>&1)
[ $? -ne 0 ] || fail "\$return of a void function was accepted"
expect_match "void \$return" "^<command-line>:1:47: error: 'kfree' returns void" "$out"

# pointer_arg(1) is the fd, as a 64-bit value: dd's stdin is fd 0.
# A register read in begin (no registers) is a runtime error with its line.
out=$(vtrace -e 'probe begin { printf("%s|%s|\n", pp(), probefunc())
  x = int_arg(1) }
probe begin { exit() }' 2>&1)
expect_match "begin pp" '^begin\|\|$' "$out"
expect_match "no registers in begin" 'not available in this probe.* at <command-line>:2:' "$out"

# $return outside a .return probe is a compile-time error.
out=$(vtrace -e 'probe kernel.function("ksys_read") { print($return) }' 2>&1)
[ $? -ne 0 ] || fail "\$return in an entry probe was accepted"
expect_match "\$return error" "only available in kernel.function" "$out"
no_vtrace_kprobes
