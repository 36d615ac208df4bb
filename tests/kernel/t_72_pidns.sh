#!/bin/bash
# t_72_pidns: -x PID inside a pid namespace (unshare -p): the pid is the
# caller's, as its namespace numbers it, and the module resolves it there
# at START, so the uprobe's filter, process.end's and the begin walk's
# all find the target (the old module compared the number with global
# tgids: nothing fired and the session never ended).  A pid that names no
# process fails START with "No such process".
# vtrace-timeout: 90
. "$(dirname "$0")/lib.sh"
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "$top/build/kernel-tests/uprobe_target" ] || fail "uprobe_target not built"
T=/dev/shm/vt_uprobe_target_ns
cp "$top/build/kernel-tests/uprobe_target" "$T" || fail "cannot copy to $T"
trap 'rm -rf "$TMPDIR_TEST" "$T"' EXIT
export T
out=$(timeout 60 unshare -p -f --mount-proc bash -c '
"$T" 3 5000 >/dev/null &
tpid=$!
sleep 0.3
echo "target $tpid"
timeout -s INT 30 vtrace -x $tpid -e "global n
probe process.function(\"vt_target_add\") { n++ }
probe process.begin { printf(\"begin\n\") }
probe process.end { exit() }
probe end { printf(\"n=%d\n\", n) }"
echo "status $?"
wait $tpid' 2>&1)
echo "t_72: $out"
expect_match "a pid of the namespace" '^target [0-9]+$' "$out"
expect_match "begin for the running target" '^begin$' "$out"
expect_match "uprobe hits in the target" '^n=3$' "$out"
expect_match "ended by process.end" '^status 0$' "$out"

out=$(unshare -p -f --mount-proc bash -c 'vtrace -e "probe process(4000000).end { }" 2>&1')
expect_match "no such process" "cannot attach probe process\(4000000\)\.end: No such process" "$out"
echo "t_72: pass"
