// SPDX-License-Identifier: GPL-2.0-only
/*
 * targetvar.c - see targetvar.h.  Every rewrite produces an N_CALL of a
 * VT_HELPERS entry whose arguments are N_NUM constants.
 */
#include <stdlib.h>
#include <string.h>

#include "targetvar.h"
#include "probepoint.h"
#include "btf.h"
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

static const char *arg_helper(const struct elf_value *v)
{
	if (v->kind == 'p')
		return "pointer_arg";
	if (v->size <= 4)
		return v->kind == 'u' ? "uint_arg" : "int_arg";
	return v->kind == 'u' ? "ulong_arg" : "long_arg";
}

/*
 * $name at a kernel function's entry: the parameter's register, from the
 * kernel's BTF.  Every point of the probe must have it in the same
 * register with the same type.  True after an error.
 */
static bool kernel_param(struct diag *d, struct arena *a, struct probe *p,
			 struct node *n)
{
	const char *name = n->str + 1, *helper = NULL;
	int argno = 0;

	for (const struct probe_point *pt = p->points; pt; pt = pt->next) {
		struct elf_proto pr;
		const struct elf_param *par = NULL;
		const char *fn = pt->target;
		const char **names;
		char hint[256] = "";

		if (strchr(fn, ':') || btf_proto_read(fn, &pr) <= 0) {
			diag_error(d, n->loc, "unknown target variable '$%s': "
				   "no BTF description of %s (use int_arg(N), "
				   "long_arg(N), pointer_arg(N))", name, fn);
			return fail(n);
		}
		for (size_t i = 0; i < pr.nparams; i++)
			if (!strcmp(pr.params[i].name, name))
				par = &pr.params[i];
		if (!par) {
			names = calloc(pr.nparams + 1, sizeof(*names));
			for (size_t i = 0; names && i < pr.nparams; i++)
				names[i] = pr.params[i].name;
			if (names)
				probepoint_suggest(hint, sizeof(hint), name,
						   names);
			free(names);
			diag_error(d, n->loc, "%s has no parameter '%s'%s", fn,
				   name, hint);
			elf_proto_free(&pr);
			return fail(n);
		}
		if (!par->v.kind || par->v.argno < 1) {
			diag_error(d, n->loc, "parameter '%s' of %s is not "
				   "passed in an integer register (a struct or "
				   "a float): not readable", name, fn);
			elf_proto_free(&pr);
			return fail(n);
		}
		if (helper && (argno != par->v.argno ||
			       strcmp(helper, arg_helper(&par->v)))) {
			diag_error(d, n->loc, "'$%s' differs between the "
				   "probe's functions (position or type)", name);
			elf_proto_free(&pr);
			return fail(n);
		}
		helper = arg_helper(&par->v);
		argno = par->v.argno;
		elf_proto_free(&pr);
	}
	to_helper(a, n, helper, argno);
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
	if (all_points(p, VT_PROBE_KPROBE))
		return kernel_param(d, a, p, n);
	diag_error(d, n->loc, "unknown target variable '%s' (kernel function "
		   "arguments need debug info: use int_arg(N), long_arg(N), "
		   "pointer_arg(N))", name);
	return fail(n);
}
