#!/bin/bash
# t_73_kread_mmio: kernel_* reads only reach RAM mapped write-back, never
# a device: kernel_long on the HPET's ioremap mapping (from
# /proc/vmallocinfo) and on the direct map's view of the legacy VGA
# window (phys 0xa0000) fault READ without touching the device, the
# firing goes on; kernel RAM still reads: jiffies_64 in the kernel image,
# vtrace.ko's own text (vmalloc area) and page_offset_base.
. "$(dirname "$0")/lib.sh"
kptr=$(cat /proc/sys/kernel/kptr_restrict)
trap 'echo "$kptr" >/proc/sys/kernel/kptr_restrict; rm -rf "$TMPDIR_TEST"' EXIT
echo 1 >/proc/sys/kernel/kptr_restrict	# raw addresses for root
hpet=$(grep -m1 'hpet_enable.* ioremap' /proc/vmallocinfo) ||
	fail "no HPET mapping in /proc/vmallocinfo: $(grep ioremap /proc/vmallocinfo | head -3)"
hpet=${hpet%%-*}
sym() { awk -v s="$1" '$3 == s { print "0x" $1; exit }' /proc/kallsyms; }
jiffies=$(sym jiffies_64)
pob=$(sym page_offset_base)
mod=$(awk '$1 == "vtrace" { print $6 }' /proc/modules)
echo "t_73: hpet $hpet jiffies_64 $jiffies page_offset_base $pob vtrace.ko $mod"
[ -n "$jiffies" ] && [ -n "$pob" ] && [ -n "$mod" ] || fail "symbols not found"

out=$(timeout 60 vtrace -e 'probe begin {
	printf("jiffies %d\n", kernel_long('"$jiffies"') != 0)
	printf("module %d\n", kernel_long('"$mod"') != 0 || kernel_long('"$mod"' + 8) != 0)
	base = kernel_long('"$pob"')
	printf("base %d\n", base < 0)
	printf("hpet %s\n", kernel_string('"$hpet"', "refused"))
	printf("vga %s\n", kernel_string(base + 0xa0000, "refused"))
	printf("fault\n")
	x = kernel_long('"$hpet"')
	printf("read the HPET: %x\n", x)
}
probe begin { printf("next\n"); exit() }' 2>"$TMPDIR_TEST/err")
rc=$?
echo "t_73: $out"
cat "$TMPDIR_TEST/err"
expect_eq "status" 1 "$rc"
expect_eq "output" "jiffies 1
module 1
base 1
hpet refused
vga refused
fault
next" "$out"
expect_match "READ fault at the HPET" \
	"^ERROR: unreadable address \(address $hpet\) at <command-line>:9:" \
	"$(cat "$TMPDIR_TEST/err")"
echo "t_73: pass"
