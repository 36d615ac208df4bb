// SPDX-License-Identifier: GPL-2.0-only
/*
 * ustack_target.c - the chain main -> outer -> middle -> leaf for the
 * user stack tests (t_87), built -O2 -fno-omit-frame-pointer.  leaf
 * spins for about SECONDS (argv[1], default 1) seconds, so the process
 * is still there when its stacks are printed.  No inlining, no tail
 * calls: each function uses its callee's result.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <time.h>

__attribute__((noinline)) long leaf(double seconds)
{
	struct timespec t0, t;
	volatile long n = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		n++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((double)(t.tv_sec - t0.tv_sec) +
		 (double)(t.tv_nsec - t0.tv_nsec) / 1e9 < seconds);
	return n;
}

__attribute__((noinline)) long middle(double seconds)
{
	return leaf(seconds) + 1;
}

__attribute__((noinline)) long outer(double seconds)
{
	return middle(seconds) + 2;
}

int main(int argc, char **argv)
{
	return outer(argc > 1 ? atof(argv[1]) : 1.0) > 0 ? 0 : 1;
}
