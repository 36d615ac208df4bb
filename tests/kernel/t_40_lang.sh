#!/bin/bash
# t_40_lang: every tests/lang script with an expected output (NAME.out)
# runs through the real module, `vtrace [NAME.opts] NAME.stp [NAME.args]`
# from tests/lang, and must print exactly NAME.out on stdout and NAME.err
# (runtime errors) or nothing on stderr, with exit status 1 when NAME.err
# exists, else 0.  The same scripts run on the host under tests/lang/run;
# those with a NAME.hostonly file (they read the mock task's memory of
# tests/lang/hostrun.c) run only there.
# Three scripts run at a time (one session each): ~0.3 s per script.
# vtrace-timeout: 600
. "$(dirname "$0")/lib.sh"

cd "$(dirname "$0")/../lang" || fail "no tests/lang"
: >"$TMPDIR_TEST/none"

# run_one NAME: writes $TMPDIR_TEST/NAME.fail when the script differs.
run_one() {
	local name=$1 want_err=$TMPDIR_TEST/none want_rc=0 rc
	local out=$TMPDIR_TEST/$name.stdout err=$TMPDIR_TEST/$name.stderr
	local opts=() args=()

	[ -f "$name.err" ] && { want_err=$name.err; want_rc=1; }
	[ -f "$name.opts" ] && read -r -a opts <"$name.opts"
	[ -f "$name.args" ] && read -r -a args <"$name.args"
	timeout 30 vtrace "${opts[@]}" "$name.stp" "${args[@]}" >"$out" 2>"$err"
	rc=$?
	if [ "$rc" -ne "$want_rc" ] || ! cmp -s "$name.out" "$out" ||
	   ! cmp -s "$want_err" "$err"; then
		{
			echo "t_40: $name: status $rc (expected $want_rc)"
			diff -u "$name.out" "$out" | sed -n '3,12p'
			diff -u "$want_err" "$err" | sed -n '3,12p'
		} >"$TMPDIR_TEST/$name.fail"
	fi
}

n=0
for o in *.out; do
	# NAME.hostonly: the script reads the host mock's memory (hostrun.c)
	[ -e "${o%.out}.hostonly" ] && continue
	run_one "${o%.out}" &
	n=$((n + 1))
	while [ "$(jobs -rp | wc -l)" -ge 3 ]; do
		wait -n
	done
done
wait
failed=()
for f in "$TMPDIR_TEST"/*.fail; do
	[ -e "$f" ] || continue
	cat "$f"
	f=${f##*/}
	failed+=("${f%.fail}")
done
echo "t_40: $n scripts, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ] || fail "scripts differ: ${failed[*]}"
