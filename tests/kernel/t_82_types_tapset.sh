#!/bin/bash
# t_82_types_tapset: issue 11's tapset and pretty printing on this
# kernel's BTF, and typed user structs from DWARF:
#  - task.stp: ppid() of a known child is its parent's pid, pexecname(),
#    uid()/euid()/gid()/egid() against id(1), task_state of a sleeper,
#    task_execname/task_pid/task_tid of task_current(), cmdline_str(),
#    pid2task()/pid2execname() of a known process;
#  - vfs.read's ino and dev against stat(1), devname "N/A" on 9p;
#  - $file$ in SystemTap's format ({.f_... =...});
#  - process(types_target).function("walk"): $p->x, $p->next->name and
#    $p$$ from DWARF;
#  - -L 'kernel.function("vfs_read")' with its parameters' C types;
#  - module("9p").function("v9fs_file_open"): $file typed from the
#    module's split BTF, and its -L.
# vtrace-timeout: 180
. "$(dirname "$0")/lib.sh"

top=${VTRACE_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -x "$top/build/kernel-tests/types_target" ] || fail "types_target not built"
T=/dev/shm/vt_types_target
cp "$top/build/kernel-tests/types_target" "$T" || fail "cannot copy to $T"
F=/etc/hostname

# 1. task functions, in a child whose parent we know
sleep 30 &
sleeper=$!
vtrace -e 'probe kernel.function("vfs_read") {
	if (execname() != "cat") next
	t = task_current()
	printf("ids %d %d %d %d %d %d\n", ppid(), uid(), euid(), gid(), egid(), task_pid(t) == pid() && task_tid(t) == tid())
	printf("names %s %s %s\n", pexecname(), task_execname(t), cmdline_str())
	printf("sleeper %s %d\n", pid2execname('"$sleeper"'), task_state(pid2task('"$sleeper"')) & 255)
	printf("prio %d %d %d\n", task_nice(t), task_prio(t), task_cpu(t) == cpu())
	exit()
}' >"$TMPDIR_TEST/out1" 2>"$TMPDIR_TEST/err1" &
pid=$!
sleep 2
for i in $(seq 1 40); do
	# cat's parent is this bash (not exec'd: a command follows)
	bash -c "echo \$\$ >>$TMPDIR_TEST/ppid; cat $F >/dev/null; true"
	grep -q '^ids' "$TMPDIR_TEST/out1" && break
	sleep 0.5
done
wait $pid
expect_eq "task status" 0 "$?"
expect_eq "task stderr" "" "$(cat "$TMPDIR_TEST/err1")"
out=$(cat "$TMPDIR_TEST/out1")
echo "t_82: $(tr '\n' ' ' <<<"$out")"
ids=$(grep '^ids ' <<<"$out")
set -- $ids
grep -qx "$2" "$TMPDIR_TEST/ppid" ||
	fail "ppid $2 is none of the bash -c pids: $(tr '\n' ' ' <"$TMPDIR_TEST/ppid")"
expect_eq "uid..egid" "$(id -u) $(id -u) $(id -g) $(id -g) 1" "$3 $4 $5 $6 $7"
expect_eq "names" "names bash cat cat $F" "$(grep '^names ' <<<"$out")"
# TASK_INTERRUPTIBLE (1): sleep(1) waits in nanosleep (the high bits,
# such as TASK_FREEZABLE on 6.1+, masked off)
expect_eq "sleeper" "sleeper sleep 1" "$(grep '^sleeper ' <<<"$out")"
expect_eq "prio" "prio 0 20 1" "$(grep '^prio ' <<<"$out")"
kill $sleeper 2>/dev/null

# 2. vfs.read's ino/dev/devname and $file$
vtrace -e 'probe vfs.read {
	# cat reads libc first (ld.so): only its read of the file counts
	if (execname() != "cat" ||
	    kernel_string($file->f_path->dentry->d_name->name) != "hostname")
		next
	printf("vfs %d %d %s\n", ino, dev, devname)
	printf("pretty %s\n", $file$)
	printf("parms %s\n", $$parms)
	exit()
}' >"$TMPDIR_TEST/out2" 2>"$TMPDIR_TEST/err2" &
pid=$!
sleep 2
for i in $(seq 1 40); do
	cat $F >/dev/null
	grep -q '^vfs' "$TMPDIR_TEST/out2" && break
	sleep 0.5
done
wait $pid
expect_eq "vfs status" 0 "$?"
expect_eq "vfs stderr" "" "$(cat "$TMPDIR_TEST/err2")"
out=$(cat "$TMPDIR_TEST/out2")
echo "t_82: $(tr '\n' ' ' <<<"$out" | cut -c1-400)"
# stat's %d is the device in the kernel's old encoding; compare major/minor
read -r ino dev devname <<<"$(grep '^vfs ' <<<"$out" | cut -d' ' -f2-)"
expect_eq "ino" "$(stat -L -c %i $F)" "$ino"
expect_eq "dev" "$(stat -L -c '%Hd %Ld' $F)" "$((dev >> 20)) $((dev & 0xfffff))"
expect_eq "devname (no block device)" "N/A" "$devname"
expect_match "pretty" '^pretty \{\.f_[a-z_]+=.*, \.f_flags=[0-9]+, .*\}$' "$(grep '^pretty ' <<<"$out")"
expect_match "parms" '^parms file=0x[0-9a-f]+ buf=0x[0-9a-f]+ count=0x[0-9a-f]+ pos=0x[0-9a-f]+$' "$(grep '^parms ' <<<"$out")"

# 3. a user binary's struct argument, typed from its DWARF
vtrace -e 'probe process("'"$T"'").function("walk") {
	printf("walk %d %d %s %d\n", $p->x, $p->y, user_string($p->next->name), $p->next->next)
	printf("deep %s\n", $p$$)
}' -c "$T 3 50" >"$TMPDIR_TEST/out3" 2>"$TMPDIR_TEST/err3"
expect_eq "user status" 0 "$?"
expect_eq "user stderr" "" "$(cat "$TMPDIR_TEST/err3")"
out=$(cat "$TMPDIR_TEST/out3")
echo "t_82: $(tr '\n' ' ' <<<"$out")"
expect_eq "walk" "walk 1 2 beta 0
walk 2 2 beta 0
walk 3 2 beta 0" "$(grep '^walk ' <<<"$out")"
expect_match "deep" '^deep \{\.x=1, \.y=2, \.name="alpha", \.next=0x[0-9a-f]+\}$' "$(grep '^deep ' <<<"$out" | head -1)"
rm -f "$T"

# 4. -L lists a kernel function's BTF parameters with their C types
expect_eq "-L vfs_read" 'kernel.function("vfs_read") $file:struct file * $buf:char * $count:size_t $pos:loff_t *' \
	"$(vtrace -L 'kernel.function("vfs_read")')"

# 5. a module's function typed from its split BTF (/sys/kernel/btf/9p):
# cat's open of the file through the 9p share
if [ -e /sys/kernel/btf/9p ]; then
	out=$(vtrace -e 'probe module("9p").function("v9fs_file_open") {
	# every file cat opens (ld.so.cache, libc, then the file)
	if (execname() == "cat")
		println(kernel_string($file->f_path->dentry->d_name->name))
}' -c "cat $F" 2>&1)
	expect_eq "module BTF" "hostname" "$(grep -x hostname <<<"$out" | head -1)"
	expect_match "-L module" '^module\("9p"\)\.function\("v9fs_file_open"\) \$inode:struct inode \* \$file:struct file \*$' \
		"$(vtrace -L 'module("9p").function("v9fs_file_open")')"
else
	echo "t_82: no BTF for the 9p module: module BTF not checked"
fi
echo "t_82: pass"
