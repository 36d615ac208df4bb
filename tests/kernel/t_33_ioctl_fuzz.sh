#!/bin/bash
# t_33_ioctl_fuzz: >= 100,000 random and mutated images and random ioctl
# sequences (tests/kernel/ioctl_fuzz.c); the kernel logs no warning.
# Seeds: the program's own hand-built images (VTRACE_TEST_FUZZ_IMAGES may
# name more image files, e.g. build/fuzz/seeds_vm/*.img from `make fuzz`).
# vtrace-timeout: 150
. "$(dirname "$0")/lib.sh"
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=$top/build/kernel-tests/ioctl_fuzz
[ -x "$bin" ] || fail "no $bin (make cli)"
before=$(dmesg | wc -l)
# shellcheck disable=SC2086
"$bin" -n "${VTRACE_TEST_FUZZ_ROUNDS:-100000}" ${VTRACE_TEST_FUZZ_SEED:+-s $VTRACE_TEST_FUZZ_SEED} \
	${VTRACE_TEST_FUZZ_IMAGES:-} || fail "ioctl_fuzz failed"
if dmesg | tail -n +"$((before + 1))" | grep -E 'WARNING:|BUG:|Oops|Call Trace'; then
	fail "the kernel logged a warning"
fi
no_vtrace_kprobes
echo "t_33: pass"
