#!/bin/bash
# t_11_nonroot: /dev/vtrace is closed to unprivileged users: a non-root
# user cannot open it (mode 0600), and root without CAP_SYS_ADMIN gets
# EPERM from open.
set -u
dev=/dev/vtrace
[ -c $dev ] || { echo "t_11: no $dev"; exit 1; }
mode=$(stat -c %a $dev)
[ "$mode" = 600 ] || { echo "t_11: $dev has mode $mode, expected 600"; exit 1; }

out=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
	bash -c "exec 3<>$dev && echo OPENED" 2>&1)
case $out in
*OPENED*) echo "t_11: user 65534 opened $dev"; exit 1 ;;
*"Permission denied"*) ;;
*) echo "t_11: unexpected result for user 65534: $out"; exit 1 ;;
esac

out=$(setpriv --inh-caps=-sys_admin --bounding-set=-sys_admin \
	bash -c "exec 3<>$dev && echo OPENED" 2>&1)
case $out in
*OPENED*) echo "t_11: root without CAP_SYS_ADMIN opened $dev"; exit 1 ;;
*"Operation not permitted"*) ;;
*) echo "t_11: unexpected result without CAP_SYS_ADMIN: $out"; exit 1 ;;
esac
echo "t_11: pass"
