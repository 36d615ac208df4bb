#!/bin/bash
# t_85_kstack: kernel stacks (issue 12).  print_backtrace() in
# kernel.function("vfs_read") from cat shows vfs_read, ksys_read and the
# system call entry, in that order, in SystemTap's format (the first
# frame is the probed address: vfs_read+0x4 past an IBT endbr64); backtrace()
# as an array key aggregates (one key per distinct stack, rendered at the
# end); a full stack table (-D MAXSTACKS=1) counts and reports its drops
# and keeps working; caller(), symname(), symdata(), callers(n);
# --folded writes the stack-keyed array root first; timer.profile
# aggregates kernel stacks in interrupt/NMI context.
# vtrace-timeout: 180
. "$(dirname "$0")/lib.sh"
since=$(dmesg | wc -l)

out=$(vtrace -c 'sleep 0.2; cat /proc/version >/dev/null' -e '
probe kernel.function("vfs_read") {
	if (execname() != "cat") next
	print_backtrace()
	printf("caller=%s\n", caller())
	printf("name=%s data=%s\n", symname(stack(0)), symdata(stack(0)))
	printf("callers=%s\n", callers(2))
	printf("bt=%s\n", backtrace())
	exit()
}' 2>&1)
echo "$out"
expect_match "print_backtrace line format" \
	'^ 0x[0-9a-f]{16} : vfs_read\+0x[04]/0x[0-9a-f]+ \[kernel\]$' "$out"
order=$(printf '%s\n' "$out" | grep -E '^ 0x' | sed -E 's/^ 0x[0-9a-f]+ : ([A-Za-z0-9_.]+)\+.*/\1/' |
	grep -vE '^__x64_sys_read$' | head -4 | tr '\n' ' ')
echo "order: $order"
# (__x64_sys_read tail-calls ksys_read: no frame of its own, as in perf.)
expect_match "vfs_read, ksys_read, the syscall entry in order" \
	'^vfs_read ksys_read do_syscall_64 entry_SYSCALL_64' "$order"
expect_match "caller()" '^caller=ksys_read 0x[0-9a-f]{16}$' "$out"
expect_match "symname/symdata" '^name=vfs_read data=vfs_read\+0x[04]/0x[0-9a-f]+ \[kernel\]$' "$out"
expect_match "callers(2)" '^callers=0x[0-9a-f]{16} 0x[0-9a-f]{16}$' "$out"
expect_match "backtrace() hex" '^bt=0x[0-9a-f]{16}( 0x[0-9a-f]{16}){3,}$' "$out"

# Stack-keyed aggregation: cat reads /proc/version through vfs_read;
# the end display shows each distinct stack once, with its count.
out=$(vtrace -c 'for i in 1 2 3; do cat /proc/version >/dev/null; done' -e '
global s, n
probe kernel.function("vfs_read") {
	if (execname() != "cat") next
	s[sprint_backtrace()] <<< 1
	n++
}
probe end { foreach (k in s) printf("%d\n%s--\n", @count(s[k]), k)
	printf("total=%d\n", n) }' 2>&1)
echo "$out"
expect_match "keys are symbolized stacks" '^vfs_read\+0x[04]/0x[0-9a-f]+ \[kernel\]$' "$out"
total=$(printf '%s\n' "$out" | sed -n 's/^total=//p')
sum=$(printf '%s\n' "$out" | awk '/^[0-9]+$/ { n += $1 } END { print n }')
expect_eq "counts add up" "$total" "$sum"
nkeys=$(printf '%s\n' "$out" | grep -cE '^[0-9]+$')
[ "$nkeys" -lt "$total" ] || fail "no stack shared by two reads ($nkeys keys, $total reads)"

# A full table: one stack kept, the others dropped, counted, reported;
# the kept one still prints.
out=$(vtrace -D MAXSTACKS=1 -c 'cat /proc/version >/dev/null; ls / >/dev/null' -e '
global s
probe kernel.function("vfs_read"), kernel.function("vfs_write") { s[backtrace()] <<< 1 }
probe timer.ms(300) { exit() }' 2>&1)
echo "$out" | tail -5
expect_match "drops reported" '^WARNING: [0-9]+ stacks dropped \(the stack table of 1 was full' "$out"
expect_match "the kept stack prints" '^s\["0x[0-9a-f]{16}( 0x[0-9a-f]{16})*"\] @count=' "$out"
# --folded: the same aggregation as flame-graph input, root first.
F=$TMPDIR_TEST/folded
out=$(vtrace --folded "$F" -c 'for i in 1 2 3; do cat /proc/version >/dev/null; done' -e '
global s
probe kernel.function("vfs_read") { if (execname() == "cat") s[execname(), backtrace()] <<< 1 }' 2>&1)
echo "$out"; cat "$F"
expect_match "folded: comm, then the stack root first" \
	'^cat;entry_SYSCALL_64[A-Za-z_]*;do_syscall_64;ksys_read;vfs_read [0-9]+$' "$(cat "$F")"
expect_eq "folded: one line per distinct stack" "$(sort -u "$F" | wc -l)" "$(wc -l <"$F")"
# timer.profile (a perf event: interrupt or NMI context) aggregating
# kernel stacks at a profile rate: dd's reads of /dev/zero show up.
out=$(vtrace --folded "$F" -c 'dd if=/dev/zero of=/dev/null bs=64k count=20000' -e '
global p
probe timer.profile { if (execname() == "dd") p[backtrace()] <<< 1 }' 2>&1)
echo "$out" | tail -3; sort -k2 -n -t' ' "$F" | tail -3
expect_match "profile: dd's kernel stacks" ';(read_zero|iov_iter_zero|clear_user|rep_stos|__clear_user|ksys_read|vfs_read)[^ ]* [0-9]+$' "$(cat "$F")"
out=$(vtrace --folded "$F" -e 'probe begin { exit() }' 2>&1)
expect_match "--folded needs a stack-keyed array" '^vtrace: --folded: the script has no array keyed by a stack' "$out"
no_kernel_problems "$since"
