#!/bin/bash
# t_58_fentry_batch: function entries armed together through one ftrace_ops
# (kmod/probe_fentry_batch.c) once a script has 10 of them: nothing in the
# kprobe list, each function in enabled_functions, each firing runs the
# probe of its own function (pp()), an address that does not name the
# function falls back to a kprobe by name, and STOP leaves nothing armed.
# vtrace-timeout: 180
. "$(dirname "$0")/lib.sh"
list=/sys/kernel/debug/kprobes/list
enabled=/sys/kernel/tracing/enabled_functions
kp_before=$(wc -l <"$list")
en_before=$(grep -c '^[^[:space:]]' "$enabled")
# vfs_* (~70 functions): dd's reads must be counted by vfs_read's probe
# only, its writes by vfs_write's.
N=2000
vtrace -e 'global r, w, o, armed
probe kernel.function("vfs_*") {
	if (execname() != "dd") next
	if (pp() == "kernel.function(\"vfs_read\")") r++
	else if (pp() == "kernel.function(\"vfs_write\")") w++
	else o++
}
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }
probe end { printf("r=%d w=%d\n", r, w) }' >"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 120
kp=$(($(wc -l <"$list") - kp_before))
en=$(($(grep -c '^[^[:space:]]' "$enabled") - en_before))
dd if=/dev/zero of=/dev/null bs=1 count=$N 2>/dev/null
kill -INT $pid
wait $pid
expect_eq "status" 0 "$?"
echo "vfs_*: kprobes=$kp ftrace=$en $(grep '^r=' "$TMPDIR_TEST/out")"
expect_eq "kprobes registered" 0 "$kp"
[ "$en" -ge 20 ] || fail "only $en functions in $enabled"
r=$(sed -n 's/^r=\([0-9]*\) .*/\1/p' "$TMPDIR_TEST/out")
w=$(sed -n 's/.* w=\([0-9]*\)$/\1/p' "$TMPDIR_TEST/out")
[ "${r:-0}" -ge $N ] && [ "${w:-0}" -ge $N ] ||
	fail "dd: $N reads and writes, counted r=$r w=$w: $(cat "$TMPDIR_TEST/err")"
[ "$(grep -c '^[^[:space:]]' "$enabled")" -eq "$en_before" ] ||
	fail "functions left armed: $(cat "$enabled")"
# Addresses that do not name their function (a stale or forged list):
# the module refuses them and each probe becomes a kprobe by name.
grep -E ' [tT] (vfs_read|vfs_write|vfs_open)$' /proc/kallsyms >"$TMPDIR_TEST/ks"
[ "$(wc -l <"$TMPDIR_TEST/ks")" -eq 3 ] || fail "kallsyms: $(cat "$TMPDIR_TEST/ks")"
# every name one symbol later than its own; 10 names so the batch is used
names=$(grep -v '\[' /sys/kernel/tracing/available_filter_functions |
	grep '^pci_' | sort -u | head -7)
awk '{ print $1 " T " ($3 == "vfs_read" ? "vfs_write" : $3 == "vfs_write" ? "vfs_open" : "vfs_read") }' \
	"$TMPDIR_TEST/ks" >"$TMPDIR_TEST/fake"
grep -E " [tT] ($(echo $names | tr ' ' '|'))$" /proc/kallsyms >>"$TMPDIR_TEST/fake"
points=$(printf 'kernel.function("%s"), ' vfs_read vfs_write vfs_open $names)
VTRACE_KALLSYMS=$TMPDIR_TEST/fake vtrace -e "global armed
probe ${points%, } { }
probe timer.ms(100) { if (!armed) { armed = 1; printf(\"armed\\n\") } }" \
	>"$TMPDIR_TEST/out2" 2>"$TMPDIR_TEST/err2" &
pid=$!
wait_for_line "$TMPDIR_TEST/out2" '^armed$' 120
# (at +0x4 after an ENDBR64 on 6.12; kprobes on ftrace sites are in
# enabled_functions too)
kp=$(grep -cE ' (vfs_read|vfs_write|vfs_open)\+0x[0-9a-f]+ ' "$list")
en=$(($(grep -c '^[^[:space:]]' "$enabled") - en_before))
kill -INT $pid
wait $pid
expect_eq "status (forged addresses)" 0 "$?"
echo "forged: kprobes=$kp ftrace=$en (of 3 + 7)"
expect_eq "forged addresses as kprobes" 3 "$kp"
[ "$en" -ge 7 ] || fail "pci_ functions through ftrace: $en"
no_vtrace_kprobes
[ "$(grep -c '^[^[:space:]]' "$enabled")" -eq "$en_before" ] ||
	fail "functions left armed: $(cat "$enabled")"
echo "t_58: pass"
