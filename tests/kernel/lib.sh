# Sourced by tests/kernel/t_*.sh (bash).  Small assertions that say what
# was expected and what came instead.  Tests run as root in the guest.
set -u

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected [$2], got [$3]"
}

# expect_match WHAT REGEX TEXT
expect_match() {
	printf '%s\n' "$3" | grep -Eq -- "$2" || fail "$1: [$3] does not match /$2/"
}

# wait_for_line FILE REGEX SECONDS: wait until FILE has a matching line.
wait_for_line() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "no line matching /$2/ in $1 after $3 s: $(cat "$1" 2>/dev/null)"
}

# no_vtrace_kprobes: the kprobe list holds nothing vtrace registered.
no_vtrace_kprobes() {
	local list=/sys/kernel/debug/kprobes/list
	[ -r "$list" ] || fail "$list not readable"
	! grep -q '\[vtrace\]\|vtrace' "$list" || fail "probes left: $(cat "$list")"
}

# no_kernel_problems SINCE: the kernel log after its first SINCE lines
# (`dmesg | wc -l` taken before) reports no oops, WARN, lockup, RCU stall,
# hung task... (tests/vm/dmesg-check's list); fails naming the lines.
no_kernel_problems() {
	local problems
	problems=$(dmesg | tail -n +"$(($1 + 1))" |
		"$(dirname "${BASH_SOURCE[0]}")/../vm/dmesg-check") ||
		fail "the kernel reported a problem: $problems"
}

TMPDIR_TEST=$(mktemp -d /tmp/vtrace-test.XXXXXX)
trap 'rm -rf "$TMPDIR_TEST"' EXIT
