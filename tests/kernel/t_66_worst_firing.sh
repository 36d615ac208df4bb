#!/bin/bash
# t_66_worst_firing: the longest a firing keeps its CPU (interrupts off)
# stays within the bound of docs/runtime.md: max_firing_us + 256 x the
# slowest budget unit + the slowest instruction, both measured here, in
# this guest, by the VM benchmark (build/bench/vm_worst).  The script is
# the worst we could write: nested try/catch around loops that run into
# the time cap, 4095-byte strings (MAXSTRINGLEN=4095) through sprintf
# with %.65536M, strpos/isinstr/str_replace on a^4095 / a^2047b, MATCH,
# string_quoted of unprintable bytes, concatenation, recursion with
# string arguments that faults MAXNESTING inside a try.  Four timers fire
# it on one CPU; each firing notes the time at each turn of its loop, and
# the next firing prints how long the previous one ran (to its last turn).
# The module reports the longest firing (max_firing_ns, vtrace -v
# "longest firing N us").  Run with the caps 2 ms and 20 ms (the default).
#
# Under TCG a firing's wall time also holds the time the host did not run
# the guest: the cap runs out in host time, and if QEMU is stopped then
# the firing ends when it runs again.  Seen here with the host at load
# 8-16 (other guests, a fuzzer): most firings end within the bound, a few
# take 0.1-0.7 s, even a loop of 1/0 in a try (two guests once stalled
# for the same 586 ms at the same moment: the host, not the VM), and once
# a 20 ms firing took 2.0 s while the guest ran 4 firings in 4 s.  So:
# the second CPU is taken offline (QEMU would run it by turns, 100 ms
# each), the median firing (to its last turn) must be within the bound,
# and the longest within the bound plus NOISE_MS (3 s).  The code before
# the fix kept a CPU for minutes per firing.  dmesg must show no lockup
# and no RCU stall.
# vtrace-timeout: 480
. "$(dirname "$0")/lib.sh"

NOISE_MS=${VTRACE_TEST_NOISE_MS:-3000}
ko=$VTRACE_KO
cpu1=/sys/devices/system/cpu/cpu1/online
restore() {
	[ -w $cpu1 ] && echo 1 >$cpu1
	rmmod vtrace 2>/dev/null
	insmod "$ko"	# the suite's own module, default parameters
	rm -rf "$TMPDIR_TEST"
}
trap restore EXIT
[ -w $cpu1 ] && echo 0 >$cpu1

# The guest's speed: this VM's slowest unit and instruction.  The
# benchmark fails its 0.2 ms limit under emulation; only its figures count.
bench=$(build/bench/vm_worst 7 2>&1)
unit_ns=$(printf '%s\n' "$bench" | sed -n 's/^slowest unit: \([0-9]*\) ns.*/\1/p')
insn_us=$(printf '%s\n' "$bench" | sed -n 's/^slowest instruction: \([0-9]*\)\..*/\1/p')
[ -n "$unit_ns" ] && [ -n "$insn_us" ] || fail "no figures from vm_worst: $bench"
overrun_us=$((256 * unit_ns / 1000 + insn_us))
echo "t_66: guest VM: slowest unit $unit_ns ns, slowest instruction $insn_us us:" \
	"overrun bound $overrun_us us"

cat >"$TMPDIR_TEST/worst.stp" <<'EOF'
global a, b, c, t, n, hits, start, last

function rec:long(s:string, d:long) {
	if (d <= 0)
		return strlen(s)
	return rec(s . "", d - 1)
}

probe begin {	/* cheap: it must not reach the cap itself */
	a = "a"
	while (strlen(a) < 4095)
		a = a . a
	b = substr(a, 0, 2047) . "b"
	c = "\001"
	while (strlen(c) < 4095)
		c = c . c
}

probe timer.ms(100) {
	if (start)
		printf("firing %d\n", last - start)
	start = gettimeofday_ns()
	last = start
	while (1) {
		try {
			try {
				while (1) {
					last = gettimeofday_ns()
					t = sprintf("%.65536M%s%.65536M%s%s", 1, a, 2, a, a)
				}
			} catch { n++ }
		} catch { n++ }
	}
}

probe timer.ms(100) {
	if (start)
		printf("firing %d\n", last - start)
	start = gettimeofday_ns()
	last = start
	while (1) {
		last = gettimeofday_ns()
		try {
			hits += strpos(a, b) + isinstr(a, b)
			t = str_replace(a, b, "x")
		} catch { n++ }
	}
}

probe timer.ms(100) {
	if (start)
		printf("firing %d\n", last - start)
	start = gettimeofday_ns()
	last = start
	while (1) {
		last = gettimeofday_ns()
		try {
			if (a =~ "a*b")
				n++
			t = string_quoted(c)
			t = text_str(c)
			t = a . a
		} catch { n++ }
	}
}

probe timer.ms(100) {
	if (start)
		printf("firing %d\n", last - start)
	start = gettimeofday_ns()
	last = start
	while (1) {
		last = gettimeofday_ns()
		try { n += rec(a, 2) + rec(a, 30) } catch { n++ }
	}
}

probe timer.s(4) { exit() }
EOF

dmesg_before=$(dmesg | wc -l)
for cap in 2000 20000; do
	rmmod vtrace || fail "rmmod"
	# The largest budget the module allows (max_budget 1,000,000): the
	# time cap ends the firings, though on a quiet host a guest can run
	# that many units in under 20 ms (100,000 often ran out first).
	insmod "$ko" max_firing_us=$cap overload_percent=95 \
		max_budget=1000000 || fail "insmod"
	timeout 120 vtrace -v -D MAXSTRINGLEN=4095 -D MAXNESTING=3 \
		-D MAXACTION=1000000 -D MAXERRORS=100000 "$TMPDIR_TEST/worst.stp" \
		>"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err"
	rc=$?
	summary=$(grep '^vtrace: .* firings' "$TMPDIR_TEST/err")
	longest=$(printf '%s\n' "$summary" | sed -n 's/.*longest firing \([0-9]*\) us.*/\1/p')
	ntime=$(grep -c 'time limit of one firing exceeded' "$TMPDIR_TEST/err")
	sed -n 's/^firing \([0-9]*\)$/\1/p' "$TMPDIR_TEST/out" | sort -n >"$TMPDIR_TEST/ns"
	nfir=$(wc -l <"$TMPDIR_TEST/ns")
	at() { echo $(($(sed -n "$1p" "$TMPDIR_TEST/ns") / 1000)); }
	bound=$((cap + overrun_us))
	echo "t_66: cap $cap us: status $rc, $ntime TIME faults; $nfir firings to" \
		"their last turn (us): min $(at 1), median $(at $(((nfir + 1) / 2)))," \
		"90% $(at $(((nfir * 9 + 9) / 10))), max $(at "$nfir"); longest" \
		"firing ${longest:-?} us; bound $bound us (+ $NOISE_MS ms of noise)"
	echo "t_66:   $summary"
	expect_eq "cap $cap: status (errors)" 1 "$rc"
	[ -n "$longest" ] || fail "cap $cap: no summary: $(tail -5 "$TMPDIR_TEST/err")"
	[ "$ntime" -ge 2 ] || fail "cap $cap: only $ntime firings hit the time cap"
	# TIME is never caught: a caught one would run the firing on to its
	# budget.  At 2 ms no firing can reach the budget, so any other error
	# fails; at 20 ms a budget that ran out first ended its firing early,
	# which the bound above already covers.
	other='time limit of one firing exceeded\|^vtrace: '
	[ "$cap" -gt 2000 ] && other="$other\\|instruction budget exceeded"
	grep -v "$other" "$TMPDIR_TEST/err" &&
		fail "cap $cap: errors other than TIME"
	[ "$nfir" -ge 1 ] || fail "cap $cap: no firing timed"
	# No try caught TIME: otherwise a firing would run until its budget.
	[ "$(at $(((nfir + 1) / 2)))" -le "$bound" ] ||
		fail "cap $cap: the median firing ran $(at $(((nfir + 1) / 2))) us"
	[ "$longest" -le $((bound + NOISE_MS * 1000)) ] ||
		fail "cap $cap: a firing took $longest us, over $bound us + $NOISE_MS ms"
done

if dmesg | tail -n +"$((dmesg_before + 1))" | grep -Ei 'stall|lockup|hung task'; then
	fail "the kernel reported a stall or a lockup"
fi
no_vtrace_kprobes
echo "t_66: pass"
