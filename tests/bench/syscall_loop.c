// SPDX-License-Identifier: GPL-2.0-only
/*
 * syscall_loop N: N getppid() system calls in a tight loop; prints the
 * elapsed CLOCK_MONOTONIC nanoseconds.  The load of tests/bench/guest's
 * per-event measurement: each call is one raw_syscalls:sys_enter event.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%lld\n", (long long)(b.tv_sec - a.tv_sec) * 1000000000LL +
			 (b.tv_nsec - a.tv_nsec));
	return 0;
}
