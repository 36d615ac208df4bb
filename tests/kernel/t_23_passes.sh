#!/bin/bash
# -p N stops after pass N: the listings exist and pass 4 verifies in user
# space; none of them opens the device.
. "$(dirname "$0")/lib.sh"

s='global n; probe kernel.function("ksys_read") { n++ } probe timer.ms(200) { printf("%d\n", n > 0); exit() }'
for p in 1 2 3 4; do
	strace -f -o "$TMPDIR_TEST/trace.$p" -e trace=open,openat \
		vtrace -p $p -e "$s" >"$TMPDIR_TEST/p$p" 2>&1
	expect_eq "pass $p status" 0 "$?"
	! grep -q /dev/vtrace "$TMPDIR_TEST/trace.$p" || fail "-p$p opened the device"
done
grep -q 'ksys_read' "$TMPDIR_TEST/p1" || fail "-p1: $(cat "$TMPDIR_TEST/p1")"
grep -q 'long' "$TMPDIR_TEST/p2" || fail "-p2 shows no types: $(cat "$TMPDIR_TEST/p2")"
grep -q 'PRINTF' "$TMPDIR_TEST/p3" || fail "-p3: $(cat "$TMPDIR_TEST/p3")"
grep -q 'n++' "$TMPDIR_TEST/p3" || fail "-p3 has no source lines"
grep -q '^verified' "$TMPDIR_TEST/p4" || fail "-p4: $(cat "$TMPDIR_TEST/p4")"
