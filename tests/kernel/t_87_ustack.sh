#!/bin/bash
# t_87_ustack: user stacks by frame pointers (issue 12, first step):
# print_ubacktrace() from a uprobe on leaf of ustack_target (built -O2
# -fno-omit-frame-pointer) shows leaf, middle, outer, main in order,
# named from the binary's symbols through /proc/PID/maps; ubacktrace()
# as an array key with --folded gives main;outer;middle;leaf, root first.
# vtrace-timeout: 180
. "$(dirname "$0")/lib.sh"
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "$top/build/kernel-tests/ustack_target" ] || fail "ustack_target not built"
# On tmpfs: a uprobe is set on an inode (see t_56).
T=/dev/shm/vt_ustack_target
cp "$top/build/kernel-tests/ustack_target" "$T" || fail "cannot copy to $T"
trap 'rm -rf "$TMPDIR_TEST" "$T"' EXIT
since=$(dmesg | wc -l)

out=$(vtrace -c "$T 1" -e 'probe process("'"$T"'").function("leaf") { print_ubacktrace(); exit() }' 2>&1)
echo "$out"
expect_match "line format" "^ 0x[0-9a-f]+ : leaf\\+0x0/0x[0-9a-f]+ \\[$T\\]$" "$out"
order=$(printf '%s\n' "$out" | sed -nE 's/^ 0x[0-9a-f]+ : ([A-Za-z0-9_.]+)\+.*/\1/p' | head -4 | tr '\n' ' ')
expect_eq "leaf, middle, outer, main" "leaf middle outer main " "$order"

F=$TMPDIR_TEST/folded
out=$(vtrace --folded "$F" -c "$T 3" -e 'global s
probe process("'"$T"'").function("leaf") { s[ubacktrace()] <<< 1 }' 2>&1)
echo "$out"; cat "$F"
expect_match "folded, root first" '(^|;)main;outer;middle;leaf 1$' "$(cat "$F")"
no_kernel_problems "$since"
