#!/bin/bash
# Memory reads in the kernel (vm/memread.c, kmod/fire.c vt_host_read):
# a user path read at the openat syscall, the same path as the kernel
# copy do_filp_open gets, faults on unreadable kernel and user addresses
# (an error naming the line, the session goes on, exit status 1), the
# error-message forms, and user reads refused in the idle task.
. "$(dirname "$0")/lib.sh"

dir=$TMPDIR_TEST/memread_dir
mkdir -p "$dir"
path=$dir/memread_marker_file
echo hi >"$path"

# (1), (4): user_string(pointer_arg(2)) of do_sys_openat2 (filename) and
# kernel_string of the kernel copy do_filp_open gets (struct filename:
# name is its first member), as cat opens the file.
vtrace -e 'global armed, u, k
probe kernel.function("do_sys_openat2") {
	if (execname() == "cat" && u == "") {
		/* a path in a page not yet paged in is unreadable without
		 * faulting it in: the err_msg form skips those */
		s = user_string(pointer_arg(2), "?")
		if (isinstr(s, "memread_marker")) {
			u = s
			printf("user %s\n", s)
			printf("user_n %s\n", user_string_n(pointer_arg(2), 4))
			printf("user_int %x\n", user_int(pointer_arg(2)))
			printf("user_char %d\n", user_char(pointer_arg(2)))
		}
	}
}
probe kernel.function("do_filp_open") {
	if (execname() == "cat" && k == "") {
		name = kernel_pointer(pointer_arg(2))
		s = kernel_string(name)
		if (isinstr(s, "memread_marker")) {
			k = s
			printf("kernel %s\n", s)
			printf("kernel_n %s\n", kernel_string_n(name, 4))
			printf("kernel_long %x\n", kernel_long(name))
			printf("kernel_int %x\n", kernel_int(name))
			printf("kernel_short %x\n", kernel_short(name))
			printf("kernel_char %d\n", kernel_char(name))
			printf("quoted %s\n", kernel_string_quoted(name))
		}
	}
	if (u != "" && k != "")
		exit()
}
probe timer.ms(100) { if (!armed) { armed = 1; printf("armed\n") } }' \
	>"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err" &
pid=$!
wait_for_line "$TMPDIR_TEST/out" '^armed$' 60
for i in 1 2 3 4 5; do
	cat "$path" >/dev/null
	grep -q '^kernel_char' "$TMPDIR_TEST/out" &&
		grep -q '^user_char' "$TMPDIR_TEST/out" && break
	sleep 0.5
done
for i in $(seq 50); do
	kill -0 $pid 2>/dev/null || break
	sleep 0.2
done
kill -INT $pid 2>/dev/null
wait $pid
st=$?
expect_eq "openat stderr" "" "$(cat "$TMPDIR_TEST/err")"
expect_eq "openat status" 0 "$st"
out=$(cat "$TMPDIR_TEST/out")
expect_match "user_string" "^user $path\$" "$(grep '^user ' <<<"$out")"
expect_eq "user_string_n" "user_n /tmp" "$(grep '^user_n ' <<<"$out")"
expect_eq "user_int" "user_int 706d742f" "$(grep '^user_int ' <<<"$out")"
expect_eq "user_char" "user_char 47" "$(grep '^user_char ' <<<"$out")"
expect_eq "kernel_string" "kernel $path" "$(grep '^kernel ' <<<"$out")"
expect_eq "kernel_string_n" "kernel_n /tmp" "$(grep '^kernel_n ' <<<"$out")"
expect_eq "kernel_long" "kernel_long 7274762f706d742f" \
	"$(grep '^kernel_long ' <<<"$out")"
expect_eq "kernel_int" "kernel_int 706d742f" "$(grep '^kernel_int ' <<<"$out")"
expect_eq "kernel_short" "kernel_short 742f" \
	"$(grep '^kernel_short ' <<<"$out")"
expect_eq "kernel_char" "kernel_char 47" "$(grep '^kernel_char ' <<<"$out")"
expect_eq "kernel_string_quoted" "quoted \"$path\"" \
	"$(grep '^quoted ' <<<"$out")"

# (2) kernel_long(0) in a timer probe: an error naming the line; later
# firings and the end probe still run; exit status 1.
out=$(timeout 60 vtrace -e 'global n
probe timer.ms(20) {
	n++
	if (n == 1) { printf("first\n"); x = kernel_long(0); printf("not reached %d\n", x) }
	if (n == 3) { printf("third\n"); exit() }
}
probe end { printf("end %s\n", kernel_string(-1, "fallback")) }' \
	2>"$TMPDIR_TEST/err")
expect_eq "kernel_long(0) status" 1 "$?"
expect_eq "kernel_long(0) output" "first
third
end fallback" "$out"
expect_eq "kernel_long(0) error" \
	"ERROR: unreadable address (address 0x0) at <command-line>:4:39" \
	"$(cat "$TMPDIR_TEST/err")"

# Non-canonical and user addresses are not kernel memory.
out=$(timeout 60 vtrace -e 'probe begin {
	printf("%s|%s\n", kernel_string(1 << 63, "noncanonical"),
	       kernel_string(4194304, "user address"))
	printf("%s\n", kernel_string(1))
}
probe begin { printf("next\n"); exit() }' 2>"$TMPDIR_TEST/err")
expect_eq "kernel bad status" 1 "$?"
expect_eq "kernel bad output" "noncanonical|user address
next" "$out"
expect_match "kernel bad error" \
	'^ERROR: unreadable address \(address 0x1\) at <command-line>:4:' \
	"$(cat "$TMPDIR_TEST/err")"

# (3) user reads of bad user addresses (begin runs in vtrace's context,
# which has user memory): page 1 is never mapped, a kernel address is
# refused by copy_from_user_nofault.
out=$(timeout 60 vtrace -e 'probe begin {
	printf("%s|%s|%s\n", user_string(4096, "unmapped"),
	       user_string2(-4096, "kernel half"), user_string_quoted(4096))
	printf("%d %d %d %d\n", user_long(4096), user_int(-8), user_short(1),
	       user_char(0))
	printf("%s\n", user_string(4097))
}
probe end { printf("end\n") }
probe begin { exit() }' 2>"$TMPDIR_TEST/err")
expect_eq "user bad status" 1 "$?"
expect_eq "user bad output" "unmapped|kernel half|0x1000
0 0 0 0
end" "$out"
expect_match "user bad error" \
	'^ERROR: unreadable address \(address 0x1001\) at <command-line>:6:' \
	"$(cat "$TMPDIR_TEST/err")"

# The idle task (tid 0, no mm) has no user memory: user reads are
# refused there, whatever the address.
out=$(timeout 60 vtrace -e 'global seen
probe timer.ms(5) {
	if (tid() == 0 && !seen) {
		seen = 1
		printf("idle %s %d\n", user_string(4194304, "refused"),
		       user_long(4194304))
		exit()
	}
}
probe timer.s(10) { if (!seen) { printf("no idle firing\n"); exit() } }' \
	2>"$TMPDIR_TEST/err")
expect_eq "idle status" 0 "$?"
[ "$out" = "no idle firing" ] ||
	expect_eq "idle output" "idle refused 0" "$out"
exit 0
