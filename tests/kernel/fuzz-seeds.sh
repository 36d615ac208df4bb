#!/bin/bash
# tests/kernel/fuzz-seeds.sh DIR: compile every tests/kernel/fuzz_seeds/*.stp
# with the vtrace on PATH (in the guest: against the running kernel's
# symbols, tracepoints and BTF) into DIR/NAME.img (VTRACE_IMAGE_OUT, -p4:
# nothing runs), as ioctl_fuzz's seed images.  @UPROBE_TARGET@ in a seed
# stands for build/kernel-tests/uprobe_target.  A seed that does not
# compile is named on stderr and skipped; status 1 if none compiled.
set -u
dir=${1:?usage: fuzz-seeds.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mkdir -p "$dir" || exit 1
# compile NAME: one seed (two at a time: a compile takes ~1.5 s under TCG).
compile() {
	local name=$1
	sed "s|@UPROBE_TARGET@|$top/build/kernel-tests/uprobe_target|g" \
		"$here/fuzz_seeds/$name.stp" >"$dir/$name.stp"
	if ! VTRACE_IMAGE_OUT=$dir/$name.img vtrace -p4 "$dir/$name.stp" \
		>/dev/null 2>"$dir/$name.err"; then
		echo "fuzz-seeds: $name does not compile: $(head -n1 "$dir/$name.err")" >&2
		rm -f "$dir/$name.img"
	fi
}
export -f compile
export dir here top
for f in "$here"/fuzz_seeds/*.stp; do
	basename "$f" .stp
done | xargs -P 2 -I{} bash -c 'compile {}'
n=$(find "$dir" -name '*.img' | wc -l)
echo "fuzz-seeds: $n seed images in $dir"
[ "$n" -gt 0 ]
