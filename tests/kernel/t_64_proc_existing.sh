#!/bin/bash
# t_64_proc_existing: process.begin fires once for each process already
# running at START, after the begin probes, with pid() and execname()
# of that process: -x PID names a sleep started before (one line);
# process("PATH").begin with the real path of sleep prints each of 3
# running sleeps once; plain process.begin reaches at least every user
# process /proc listed before vtrace started (this shell with its comm);
# a -c command gets one begin, at its exec, not one before as "vtrace".
# vtrace-timeout: 120
. "$(dirname "$0")/lib.sh"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$TMPDIR_TEST"' EXIT
SLEEP=$(readlink -f "$(command -v sleep)")

# start_sleep: a sleep 30 in the background, in pids[]; waits until it
# runs $SLEEP (exec'ed), so that it is an existing process at START.
start_sleep() {
	local p i
	sleep 30 &
	p=$!
	pids+=("$p")
	for ((i = 0; i < 50; i++)); do
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$SLEEP" ] && return
		sleep 0.1
	done
	fail "sleep $p does not run $SLEEP"
}

# -x PID: exactly that process, after begin.
start_sleep
x=${pids[0]}
out=$(vtrace -x "$x" -e 'probe begin { printf("first\n") }
probe process.begin { if (pid() == target()) printf("begin %d %s\n", pid(), execname()) }
probe timer.s(1) { exit() }' 2>&1)
expect_eq "-x PID: begin, then one process.begin" "first
begin $x sleep" "$out"
kill "$x"

# process("PATH").begin: each running sleep once.
pids=()
start_sleep
start_sleep
start_sleep
out=$(vtrace -e 'probe process("'"$SLEEP"'").begin { printf("begin %d %s\n", pid(), execname()) }
probe timer.s(1) { exit() }' 2>&1)
n=$(printf '%s\n' "$out" | grep -c '^begin [0-9]* sleep$')
[ "$n" -ge 3 ] || fail "path: $n begins, expected >= 3: [$out]"
for p in "${pids[@]}"; do
	expect_eq "path: begins of sleep $p" 1 \
		"$(printf '%s\n' "$out" | grep -c "^begin $p sleep\$")"
done
kill "${pids[@]}"

# Plain process.begin: at least the user processes of /proc (those with
# an exe: no kernel threads), counted with shell builtins only.
count=0
for d in /proc/[0-9]*; do
	[ -e "$d/exe" ] && count=$((count + 1))
done
out=$(vtrace -e 'probe process.begin { printf("begin %d %s\n", pid(), execname()) }
probe timer.s(1) { exit() }' 2>&1)
n=$(printf '%s\n' "$out" | grep -c '^begin ')
[ "$n" -ge "$count" ] || fail "plain: $n begins, /proc had $count: [$out]"
read -r comm </proc/$$/comm
expect_match "plain: this shell" "^begin $$ $comm\$" "$out"
dups=$(printf '%s\n' "$out" | grep "^begin $$ " | wc -l)
expect_eq "plain: this shell once" 1 "$dups"

# -c: the command's begin comes at its exec only.
out=$(vtrace -c 'sleep 0.2' -e 'probe process.begin { printf("begin %d %s\n", pid() == target(), execname()) }' 2>&1)
expect_eq "-c: one begin, at exec" "begin 1 sleep" "$out"
