#!/bin/bash
# t_70_session_mb: max_session_mb counts what a session really takes:
# the ring buffer as the kernel allocates it (data pages of 4080 bytes,
# a reader page and a struct per page, on every possible CPU: 32 MiB per
# CPU needs more than 32 MiB), and the kernel's perf events (one per CPU
# per perf or tracepoint probe) with the providers' arrays.  The module
# is reloaded with small limits and restored on exit.
. "$(dirname "$0")/lib.sh"
ko=${VTRACE_KO:?VTRACE_KO not set}
trap 'rmmod vtrace 2>/dev/null; insmod "$ko"; rm -rf "$TMPDIR_TEST"' EXIT
ncpus=$(nproc --all)
[ "$ncpus" = 2 ] || echo "t_70: note: $ncpus CPUs; sizes were chosen for 2"

# 2 x 32 MiB of ring buffer data is over 65 MiB once the pages' headers
# and bookkeeping are counted (and under it if they are not).
rmmod vtrace || fail "rmmod"
insmod "$ko" max_session_mb=65 bufsize_kb=32768 || fail "insmod"
out=$(vtrace -e 'probe begin { printf("ran\n"); exit() }' 2>&1)
rc=$?
echo "t_70: bufsize_kb=32768, max_session_mb=65: status $rc: $out"
expect_eq "big ring buffer: status" 1 "$rc"
expect_match "big ring buffer: refused" "Argument list too long" "$out"
[[ $out != *ran* ]] || fail "a session over max_session_mb ran"
echo 16384 >/sys/module/vtrace/parameters/bufsize_kb
out=$(vtrace -e 'probe begin { printf("ran\n"); exit() }' 2>&1)
expect_eq "half the buffer runs" "ran" "$out"

# 600 perf probes: 1200 perf events of the kernel's (over 1 KiB each)
# do not fit in 1 MiB.
rmmod vtrace || fail "rmmod"
insmod "$ko" max_session_mb=1 bufsize_kb=16 || fail "insmod"
script=$(for i in $(seq 600); do echo "probe perf.sw.page_faults { }"; done)
out=$(vtrace -e "$script
probe begin { printf(\"ran\n\"); exit() }" 2>&1)
rc=$?
echo "t_70: 600 perf probes, max_session_mb=1: status $rc: $out"
expect_eq "perf events: status" 1 "$rc"
expect_match "perf events: refused" "Argument list too long" "$out"
out=$(vtrace -e 'probe perf.sw.page_faults { } probe begin { printf("ran\n"); exit() }' 2>&1)
expect_eq "one perf probe runs" "ran" "$out"
echo "t_70: pass"
