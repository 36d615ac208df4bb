#!/bin/bash
# kernel.function() is a real kprobe: it fires when the kernel runs the
# function, at least as often as a known command calls it.
. "$(dirname "$0")/lib.sh"

# The issue's one-liner.
out=$(vtrace -e 'global n; probe kernel.function("ksys_read") { n++ } probe timer.ms(200) { printf("%d\n", n > 0); exit() }')
expect_eq "status" 0 "$?"
expect_eq "output" "1" "$out"

# dd reads N times through ksys_read; count only dd's calls.
N=3000
vtrace -e 'global n
probe kernel.function("ksys_read") { if (execname() == "dd") n++ }
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }
global armed
probe end { printf("reads=%d\n", n) }' >"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 60
dd if=/dev/zero of=/dev/null bs=1 count=$N 2>/dev/null
kill -INT $pid
wait $pid
expect_eq "status after SIGINT" 0 "$?"
reads=$(sed -n 's/^reads=//p' "$TMPDIR_TEST/out")
[ -n "$reads" ] || fail "no end output: $(cat "$TMPDIR_TEST/out" "$TMPDIR_TEST/err")"
[ "$reads" -ge $N ] || fail "kprobe fired $reads times for $N reads"
no_vtrace_kprobes
