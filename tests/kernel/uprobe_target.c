// SPDX-License-Identifier: GPL-2.0-only
/*
 * uprobe_target.c - the binary t_56_uprobe probes (built -g -O0 so its
 * functions and their DWARF parameters stay as written).
 *
 * usage: uprobe_target [N [SLEEP_MS]]: sleeps SLEEP_MS (default 0)
 * first, so a tracer can attach by pid, then calls vt_target_add(i, 7)
 * N times (default 10) for i = 1..N, vt_target_neg(-5) and
 * vt_target_err(22) once each, calls getpid() once, and exits 0.
 * vt_target_add(a, b) returns a + b; vt_target_err(e) returns -e, an
 * int (its .return reads $return as negative, not as 2^32 - e).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int vt_target_add(int a, int b);
long vt_target_neg(long x);
int vt_target_err(int e);

int vt_target_add(int a, int b)
{
	return a + b;
}

long vt_target_neg(long x)
{
	return -x;
}

int vt_target_err(int e)
{
	return -e;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10;
	long ms = argc > 2 ? atol(argv[2]) : 0;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	long sum = 0;

	if (ms)
		nanosleep(&ts, NULL);
	for (int i = 1; i <= n; i++)
		sum += vt_target_add(i, 7);
	sum += vt_target_neg(-5);
	if (vt_target_err(22) != -22)
		return 1;
	printf("sum %ld pid %d\n", sum, (int)getpid());
	return 0;
}
