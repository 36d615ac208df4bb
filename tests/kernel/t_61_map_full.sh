#!/bin/bash
# t_61_map_full: an array filled past its declared size faults MAPFULL:
# the error names the array, the entries that fit are kept, and vtrace
# exits with status 1.  A wrapping array (a[N]%) replaces its oldest
# entries instead and ends without error.
. "$(dirname "$0")/lib.sh"

out=$(vtrace -e 'global small[4]
probe begin { for (i = 0; i < 10; i++) small[i] = i * 10 }
probe begin { exit() }
probe end { n = 0; foreach (k in small) n++; printf("kept=%d\n", n) }' 2>&1)
status=$?
expect_eq "status" 1 "$status"
expect_match "error names the array" "small" "$(grep -i 'full' <<<"$out")"
expect_match "entries kept" '^kept=4$' "$(grep '^kept=' <<<"$out")"

out=$(vtrace -e 'global ring[4]%
probe begin { for (i = 0; i < 10; i++) ring[i] = i; exit() }
probe end { foreach (k+ in ring) printf("%d ", k); printf("\n") }' 2>&1)
expect_eq "wrap status" 0 "$?"
expect_eq "wrap keeps the newest" "6 7 8 9 " "$out"

# START refuses arrays that do not fit in max_session_mb, before firing.
ko=${VTRACE_KO:?VTRACE_KO not set}
trap 'rmmod vtrace 2>/dev/null; insmod "$ko"; rm -rf "$TMPDIR_TEST"' EXIT
rmmod vtrace && insmod "$ko" max_session_mb=4 || fail "reload with max_session_mb=4"
out=$(vtrace -e 'global big[1000000]; probe begin { big[1] = 1; printf("ran\n"); exit() }' 2>&1)
status=$?
expect_eq "too big: status" 1 "$status"
[[ $out != *ran* ]] || fail "a session over max_session_mb ran: $out"
echo "t_61: pass"
