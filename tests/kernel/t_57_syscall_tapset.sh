#!/bin/bash
# The syscall tapset (tapset/syscalls.stp): syscall.openat's filename and
# argstr, .return's retstr (success and errno), syscall.* with name (one
# merged probe), every alias's argstr/retstr on `ls`, and vtrace -l / -L
# listing the tapset's aliases.
# vtrace-timeout: 180
. "$(dirname "$0")/lib.sh"

known=$TMPDIR_TEST/known
echo hello >"$known"
vtrace -e 'global reads7, writes, opens, enoent
probe syscall.openat {
	if (execname() == "cat" && filename == "\"'"$known"'\"")
		printf("open %s|%s|%d\n", filename, argstr, dfd)
}
probe syscall.openat.return {
	if (execname() == "cat" && retstr == "-2 (ENOENT)") enoent++
}
probe syscall.read.return { if (execname() == "dd" && retstr == "7") reads7++ }
probe syscall.* {
	if (execname() == "dd" && name == "write" && count == 7) writes++
	if (execname() == "cat" && name == "openat") opens++
}
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }
global armed
probe end { printf("reads7=%d writes=%d opens=%d enoent=%d\n", reads7,
		   writes, opens > 0, enoent > 0) }' \
	>"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 60
dd if=/dev/zero of=/dev/null bs=7 count=5 2>/dev/null
cat "$known" >/dev/null
cat "$TMPDIR_TEST/no-such-file" 2>/dev/null
kill -INT $pid
wait $pid
expect_eq "status" 0 "$?"
expect_eq "stderr" "" "$(cat "$TMPDIR_TEST/err")"
line=$(grep '^open ' "$TMPDIR_TEST/out" | head -n1)
expect_eq "openat" "open \"$known\"|AT_FDCWD, \"$known\", O_RDONLY|-100" "$line"
line=$(grep '^reads7=' "$TMPDIR_TEST/out")
expect_eq "counts" "reads7=5 writes=5 opens=1 enoent=1" "$line"

n=$(vtrace -l 'syscall.*' | wc -l)
[ "$n" -ge 400 ] || fail "only $n syscall points listed"
out=$(vtrace -l 'syscall.openat*')
expect_match "-l alias" '^syscall\.openat$' "$out"
expect_match "-l alias return" '^syscall\.openat\.return$' "$out"
expect_match "-l raw without alias" '^syscall\.openat2$' "$out"
out=$(vtrace -L 'syscall.openat')
expect_eq "-L alias" "syscall.openat name dfd dfd_str filename flags mode flags_str argstr" "$out"
out=$(vtrace -l 'kernel.syscall.openat')
expect_eq "-l raw" "kernel.syscall.openat" "$out"

# Every alias's argstr and retstr at once, on a real program: no runtime
# error (budget, frames, unreadable memory) and SystemTap-like lines.
vtrace -e 'probe syscall.* { if (execname() == "ls") printf("%s(%s)\n", name, argstr) }
probe syscall.*.return { if (execname() == "ls") printf("%s = %s\n", name, retstr) }
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }
global armed' >"$TMPDIR_TEST/all" 2>"$TMPDIR_TEST/allerr" &
pid=$!
wait_for_line "$TMPDIR_TEST/all" '^armed$' 60
ls / >/dev/null
kill -INT $pid
wait $pid
expect_eq "all: status" 0 "$?"
expect_eq "all: stderr" "" "$(cat "$TMPDIR_TEST/allerr")"
expect_match "all: openat" '^openat\(AT_FDCWD, "/", O_RDONLY\|.*O_DIRECTORY.*\)$' "$(cat "$TMPDIR_TEST/all")"
expect_match "all: close" '^close\([0-9]+\)$' "$(cat "$TMPDIR_TEST/all")"
expect_match "all: exit_group" '^exit_group\(0\)$' "$(cat "$TMPDIR_TEST/all")"
expect_match "all: openat.return" '^openat = [0-9]+$' "$(cat "$TMPDIR_TEST/all")"
expect_match "all: mmap.return" '^mmap = 0x[0-9a-f]+$' "$(cat "$TMPDIR_TEST/all")"
