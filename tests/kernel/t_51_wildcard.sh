#!/bin/bash
# kernel.function wildcards: one probe per match from tracefs'
# available_filter_functions; matches the kernel refuses are skipped and
# counted (-v); a pattern matching nothing is an error with suggestions.
# vtrace-timeout: 120
. "$(dirname "$0")/lib.sh"

avail=/sys/kernel/tracing/available_filter_functions

# A pattern that matches nothing: error, closest names, exit status 1.
out=$(vtrace -e 'probe kernel.function("vfs_raed*") { }' 2>&1)
expect_eq "no-match status" 1 "$?"
expect_match "no match" 'no match for kernel.function\("vfs_raed\*"\); did you mean .vfs_read.' "$out"
# ... unless optional.
out=$(vtrace -e 'probe kernel.function("vfs_raed*")? { } probe begin { exit() }' 2>&1)
expect_eq "optional no-match status" 0 "$?"

# Refused matches are skipped and counted: a missing symbol (ENOENT) and
# one of vtrace's own NOKPROBE functions (EINVAL).
printf 'ksys_read\nksys_read_not_in_this_kernel\nvt_fire_ctx\n' >"$TMPDIR_TEST/syms"
out=$(VTRACE_KSYMS=$TMPDIR_TEST/syms vtrace -v -e 'global n
probe kernel.function("ksys_read*"), kernel.function("vt_fire*") { n++ }
probe timer.ms(300) { exit() }
probe end { printf("fired=%d\n", n > 0) }' 2>&1)
expect_eq "skip status" 0 "$?"
expect_match "skip count" '2 wildcard-matched probes skipped' "$out"
expect_match "the rest fired" '^fired=1$' "$out"

# Every match is armed (or skipped and counted): vfs_* (~70 functions).
# The ~1000-function timing is in docs/probes.md (too slow for the suite
# under TCG).
want=$(grep -v '\[' "$avail" | grep '^vfs_' | sort -u | wc -l)
[ "$want" -ge 20 ] || fail "only $want vfs_ functions in $avail"
# Armed: kprobes by name (not ftrace-based: those are in enabled_functions
# too) plus functions with an ftrace callback (the batch of function
# entries, kmod/probe_fentry_batch.c).
list=/sys/kernel/debug/kprobes/list
enabled=/sys/kernel/tracing/enabled_functions
count_armed() {
	echo $(($(grep -vc 'FTRACE' "$list") + $(grep -c '^[^[:space:]]' "$enabled")))
}
before=$(count_armed)
vtrace -v -e 'global t
probe kernel.function("vfs_*") { }
probe timer.ms(200) { t++; if (t == 1) printf("armed\n") }' \
	>"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 120
# Counted while it runs (reading enabled_functions takes ~1 s under TCG).
armed=$(($(count_armed) - before))
kill -INT $pid
wait $pid
expect_eq "vfs_* status" 0 "$?"
skipped=$(sed -n 's/.* \([0-9]*\) wildcard-matched probes skipped.*/\1/p' "$TMPDIR_TEST/err")
skipped=${skipped:-0}
echo "vfs_*: matched=$want armed=$armed skipped=$skipped"
# Seen on 6.12: 78 matched, 76 listed, 0 skipped (two probes at one
# address are probably listed once); allow 3 missing from the list.
[ $((armed + skipped)) -le "$want" ] && [ $((armed + skipped + 3)) -ge "$want" ] ||
	fail "armed $armed + skipped $skipped vs $want matched"
no_vtrace_kprobes
[ "$(count_armed)" -eq "$before" ] || fail "functions left armed: $(cat "$enabled")"
