/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * syscalls.h - syscall.NAME, syscall.NAME.return and syscall.*: points on
 * the raw_syscalls:sys_enter / sys_exit tracepoints (no per-syscall
 * kprobes).  The syscall-number filter is the first statement of the
 * probe body: `if (!(id == N1 || id == N2 ...)) next`, and `name` is the
 * syscall's name when the body uses it.  x86-64 numbers (syscall_table.h).
 */
#ifndef VTC_SYSCALLS_H
#define VTC_SYSCALLS_H

#include <stdbool.h>

#include "lang/ast.h"
#include "lang/diag.h"
#include "tpformat.h"

/* What a syscall point adds to its tracepoint (probe_point.info). */
struct syscall_info {
	struct tp_format fmt;	/* first: info is also a tp_format */
	int nr;			/* -1: every syscall */
	bool ret;		/* .return: sys_exit */
};

/* Resolve syscall.NAME[.return] / syscall.*[.return] (@c: "syscall"). */
void syscall_resolve(struct diag *d, struct arena *a, struct probe_point *pt,
		     struct point_comp *c);

/* After every point of @p is resolved: the filter and `name`. */
void syscall_finish(struct diag *d, struct arena *a, struct probe *p);

/* $argN (enter), $return (exit) of a syscall probe; as probepoint_field. */
bool syscall_field(struct diag *d, struct arena *a, struct probe *p,
		   struct node *n);

/* Number of @name, or -1; the name of @nr, or NULL. */
int syscall_nr(const char *name);
const char *syscall_name(int nr);

#endif /* VTC_SYSCALLS_H */
