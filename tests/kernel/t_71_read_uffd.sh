#!/bin/bash
# t_71_read_uffd: read(2) does not hold the session's lock across the copy
# to user space: with a reader blocked on a userfaultfd-held buffer,
# STATUS and STOP from another thread return at once, and the read
# completes once the fault is resolved (read_uffd.c).
. "$(dirname "$0")/lib.sh"
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=$(timeout 30 "$top/build/kernel-tests/read_uffd" 2>&1)
rc=$?
echo "t_71: $out"
expect_eq "status" 0 "$rc"
expect_match "STOP and STATUS did not wait" '^stop_ms [0-9]+ status_ms [0-9]+ read [1-9][0-9]*$' "$out"
ms=$(sed -n 's/^stop_ms \([0-9]*\) .*/\1/p' <<<"$out")
((ms < 1000)) || fail "STOP took $ms ms"
echo "t_71: pass"
