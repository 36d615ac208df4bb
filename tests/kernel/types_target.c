// SPDX-License-Identifier: GPL-2.0-only
/*
 * types_target.c - the binary the typed target-variable tests probe
 * (issue 11; built -g -O0 so walk() and its DWARF stay as written):
 * `$p->x`, `$p->name`, `$p->next->y` and `$p$$` on walk(struct point *p).
 *
 * usage: types_target [N [SLEEP_MS]]: builds a list of two points,
 * a = { 1, 2, "alpha", &b } and b = { 3, 4, "beta", NULL }, then N
 * times (default 10): sleeps SLEEP_MS (default 100) and calls walk(&a),
 * a's x set to the round (1..N) first.  Prints "sum S" and exits 0.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct point {
	int x;
	int y;
	char name[8];
	struct point *next;
};

int walk(struct point *p) __attribute__((noinline));

/* Sum of every point's x + y down the list. */
int walk(struct point *p)
{
	int sum = 0;

	for (; p; p = p->next)
		sum += p->x + p->y;
	return sum;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10;
	long ms = argc > 2 ? atol(argv[2]) : 100;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	struct point b = { 3, 4, "beta", NULL };
	struct point a = { 1, 2, "alpha", &b };
	long sum = 0;

	for (int i = 1; i <= n; i++) {
		if (ms)
			nanosleep(&ts, NULL);
		a.x = i;
		sum += walk(&a);
	}
	printf("sum %ld\n", sum);
	return 0;
}
