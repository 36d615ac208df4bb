#!/bin/bash
# SIGINT and SIGTERM stop the probes, run the end probes, drain the buffers
# and exit 0; a timer keeps firing until then.
. "$(dirname "$0")/lib.sh"

for sig in INT TERM; do
	# A fresh file: the last round's "running" must not pass for this one's
	# (the child truncates it only when it gets to run).
	rm -f "$TMPDIR_TEST/out"
	vtrace -e 'global ticks
probe timer.ms(10) { ticks++; if (ticks == 5) printf("running\n") }
probe end { printf("ticks>=5: %d\n", ticks >= 5) }' >"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
	pid=$!
	wait_for_line "$TMPDIR_TEST/out" '^running$' 60
	kill -$sig $pid
	wait $pid
	expect_eq "status after SIG$sig" 0 "$?"
	expect_eq "output after SIG$sig" "running
ticks>=5: 1" "$(cat "$TMPDIR_TEST/out")"
done
no_vtrace_kprobes
