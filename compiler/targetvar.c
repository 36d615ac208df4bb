// SPDX-License-Identifier: GPL-2.0-only
/*
 * targetvar.c - see targetvar.h.  Every rewrite produces an N_CALL of a
 * VT_HELPERS entry whose arguments are N_NUM constants.
 */
#include <string.h>

#include "targetvar.h"
#include "probepoint.h"
#include "../vm/vt_isa.h"

static const char *const reg_names[VT_REG_COUNT] = {
#define REG_NAME(name, text) [VT_REG_##name] = text,
	VT_REGS(REG_NAME)
#undef REG_NAME
};

int targetvar_reg(const char *name)
{
	for (int i = 0; i < VT_REG_COUNT; i++) {
		const char *r = reg_names[i];

		if (!strcmp(name, r))
			return i;
		/* "ax" for "rax", "flags" for "eflags", "ip" for "rip" */
		if ((r[0] == 'r' || r[0] == 'e') && r[1] > '9' &&
		    !strcmp(name, r + 1))
			return i;
	}
	if (!strcmp(name, "orig_ax"))
		return VT_REG_ORIG_AX;
	return -1;
}

static void to_helper(struct arena *a, struct node *n, const char *helper,
		      int64_t arg)
{
	struct node *num = node_new(a, N_NUM, n->loc);

	num->num = arg;
	num->type = TY_LONG;
	n->str = helper;
	n->a = num;
}

static bool fail(struct node *n)
{
	n->kind = N_ERROR;
	n->a = NULL;
	return true;
}

static bool all_points(const struct probe *p, int type)
{
	for (const struct probe_point *pt = p->points; pt; pt = pt->next)
		if (pt->type != type)
			return false;
	return p->points != NULL;
}

static bool rewrite_register(struct diag *d, struct node *n)
{
	struct node *arg = n->a;
	int r;

	if (!arg || arg->next || arg->kind == N_NUM)
		return false;	/* sema reports the count; a number is an index */
	if (arg->kind != N_STR) {
		diag_error(d, n->loc, "register() takes a register name "
			   "literal, e.g. register(\"rdi\")");
		return fail(n);
	}
	r = targetvar_reg(arg->str);
	if (r < 0) {
		diag_error(d, arg->loc, "unknown register '%s' (x86-64: rax "
			   "rbx rcx rdx rsi rdi rbp rsp r8-r15 rip eflags "
			   "orig_rax)", arg->str);
		return fail(n);
	}
	arg->kind = N_NUM;
	arg->num = r;
	arg->str = NULL;
	return false;
}

bool targetvar_rewrite(struct diag *d, struct arena *a, struct probe *p,
		       struct node *n)
{
	const char *name = n->str;

	if (!strcmp(name, "register"))
		return rewrite_register(d, n);
	if (name[0] != '$')
		return false;
	if (!strcmp(name, "$return") && !all_points(p, VT_PROBE_KRETPROBE) &&
	    probepoint_field(d, a, p, n))
		return n->kind == N_ERROR;	/* syscall.NAME.return */
	if (!strcmp(name, "$return")) {
		if (!all_points(p, VT_PROBE_KRETPROBE)) {
			diag_error(d, n->loc, "'$return' is only available in "
				   "kernel.function(\"...\").return probes");
			return fail(n);
		}
		to_helper(a, n, "register", VT_REG_AX);
		return false;
	}
	if (probepoint_field(d, a, p, n))
		return n->kind == N_ERROR;
	diag_error(d, n->loc, "unknown target variable '%s' (kernel function "
		   "arguments need debug info: use int_arg(N), long_arg(N), "
		   "pointer_arg(N))", name);
	return fail(n);
}
