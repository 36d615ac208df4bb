#!/bin/bash
# t_33_ioctl_fuzz: 100,000 mutated images (mostly structure-aware) and
# random ioctl sequences (tests/kernel/ioctl_fuzz.c); 10% of the rounds
# start the accepted images (event probes made timers) and run them
# briefly; the kernel reports no problem (tests/vm/dmesg-check).
# Seeds: ioctl_fuzz's hand-built images and tests/kernel/fuzz_seeds/*.stp
# compiled here (fuzz-seeds.sh); VTRACE_TEST_FUZZ_IMAGES may name more
# image files, e.g. build/fuzz/seeds_vm/*.img from `make fuzz`.
# The long run (1,000,000 images, 30% run rounds) is `make fuzz-guest`.
# vtrace-timeout: 240
. "$(dirname "$0")/lib.sh"
top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=$top/build/kernel-tests/ioctl_fuzz
[ -x "$bin" ] || fail "no $bin (make cli)"
"$top/tests/kernel/fuzz-seeds.sh" "$TMPDIR_TEST/seeds" || fail "no seed image compiled"
before=$(dmesg | wc -l)
# shellcheck disable=SC2086
"$bin" -n "${VTRACE_TEST_FUZZ_ROUNDS:-100000}" -S "${VTRACE_TEST_FUZZ_START:-10}" -P \
	${VTRACE_TEST_FUZZ_SEED:+-s $VTRACE_TEST_FUZZ_SEED} \
	"$TMPDIR_TEST"/seeds/*.img ${VTRACE_TEST_FUZZ_IMAGES:-} || fail "ioctl_fuzz failed"
no_kernel_problems "$before"
no_vtrace_kprobes
echo "t_33: pass"
