// SPDX-License-Identifier: GPL-2.0-only
/*
 * targetvar.c - see targetvar.h.  Every rewrite produces an N_CALL of a
 * VT_HELPERS entry whose arguments are N_NUM constants (or, for a typed
 * $return, an expression over one).  The one place that decides whose a
 * `$name` is: the provider that owns the probe (provider.h).
 */
#include <stdlib.h>
#include <string.h>

#include "targetvar.h"
#include "provider.h"
#include "lang/suggest.h"
#include "elfsyms.h"
#include "lang/lexer.h"
#include "vt_isa.h"

static const char *const reg_names[VT_REG_COUNT] = {
#define REG_NAME(name, text) [VT_REG_##name] = text,
	VT_REGS(REG_NAME)
#undef REG_NAME
};

/* The VT_REG_* index of an x86-64 register name ("rdi", "di"), or -1. */
static int targetvar_reg(const char *name)
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

static struct node *number(struct arena *a, struct vtc_loc loc, int64_t v)
{
	struct node *num = node_new(a, N_NUM, loc);

	num->num = v;
	num->type = TY_LONG;
	return num;
}

/* Rewrite @n in place into helper(@arg), e.g. int_arg(2), register(0). */
static void targetvar_call(struct arena *a, struct node *n,
			   const char *helper, int64_t arg)
{
	n->str = helper;
	n->a = number(a, n->loc, arg);
}

bool targetvar_fail(struct node *n)
{
	n->kind = N_ERROR;
	n->a = NULL;
	return true;
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
		return targetvar_fail(n);
	}
	r = targetvar_reg(arg->str);
	if (r < 0) {
		diag_error(d, arg->loc, "unknown register '%s' (x86-64: rax "
			   "rbx rcx rdx rsi rdi rbp rsp r8-r15 rip eflags "
			   "orig_rax)", arg->str);
		return targetvar_fail(n);
	}
	arg->kind = N_NUM;
	arg->num = r;
	arg->str = NULL;
	return false;
}

void targetvar_param_call(struct arena *a, struct node *n,
			  const struct elf_value *v)
{
	const char *helper;

	if (v->kind == 'p')
		helper = "pointer_arg";
	else if (v->size <= 4)
		helper = v->kind == 'u' ? "uint_arg" : "int_arg";
	else
		helper = v->kind == 'u' ? "ulong_arg" : "long_arg";
	targetvar_call(a, n, helper, v->argno);
	n->ctype = v->type;
}

bool targetvar_param(struct diag *d, const struct node *n, const char *func,
		     struct elf_proto *pr, struct elf_value *v)
{
	const char *name = n->str + 1;
	const char **names;
	char hint[256] = "";
	size_t i;

	for (i = 0; i < pr->nparams; i++)
		if (!strcmp(pr->params[i].name, name))
			break;
	if (i == pr->nparams) {
		names = calloc(pr->nparams + 1, sizeof(*names));
		for (size_t k = 0; names && k < pr->nparams; k++)
			names[k] = pr->params[k].name;
		if (names)
			suggest_names(hint, sizeof(hint), name, names);
		free(names);
		diag_error(d, n->loc, "%s has no parameter '%s'%s", func, name,
			   hint);
		elf_proto_free(pr);
		return false;
	}
	*v = pr->params[i].v;
	elf_proto_free(pr);
	if (!v->kind || v->kind == 'f' || !v->argno) {
		diag_error(d, n->loc, "parameter '%s' of %s is not in an "
			   "integer register (floats, structures and "
			   "parameters after the sixth cannot be read)", name,
			   func);
		return false;
	}
	return true;
}

bool targetvar_same_param(struct diag *d, const struct node *n, size_t i,
			  const struct elf_value *v, struct elf_value *first)
{
	struct ctype *type = first->type;

	if (i && (v->kind != first->kind || v->size != first->size ||
		  v->argno != first->argno)) {
		diag_error(d, n->loc, "'%s' differs between the functions of "
			   "this probe", n->str);
		return false;
	}
	*first = *v;
	if (i && v->type != type)	/* one register, two C types */
		first->type = NULL;
	return true;
}

void targetvar_same_return(size_t i, const struct elf_value *ret,
			   struct elf_value *first)
{
	struct elf_value v = { .kind = ret->kind, .size = ret->size,
			       .type = ret->type };

	if (!v.kind)
		v.size = 0;
	if (i && (v.kind != first->kind || v.size != first->size))
		v = (struct elf_value){ 0 };	/* mixed: all of rax, for good */
	else if (i && v.type != first->type)
		v.type = NULL;			/* same register, two types */
	*first = v;
}

bool targetvar_return_call(struct diag *d, struct arena *a, struct node *n,
			   const char *func, const struct elf_value *ret)
{
	int bits = 64 - 8 * ret->size;
	struct node *rax;

	if (ret->kind == 'v' || ret->kind == 'f') {
		diag_error(d, n->loc, ret->kind == 'v' ? "'%s' returns void" :
			   "'%s' returns a floating-point value (in xmm0): "
			   "'$return' cannot read it", func);
		return false;
	}
	targetvar_call(a, n, "register", VT_REG_AX);
	n->ctype = ret->type;
	if ((ret->kind != 'i' && ret->kind != 'u') || !bits)
		return true;
	rax = node_make(a, N_CALL, n->loc, 0, n->a, NULL, NULL);
	rax->str = n->str;
	rax->helper = VT_HELPER_register;	/* sema will not bind it */
	n->kind = N_BINARY;
	n->str = NULL;
	if (ret->kind == 'u') {		/* rax & 0xff.. */
		n->op = '&';
		n->a = rax;
		n->b = number(a, n->loc, (int64_t)(~0ull >> bits));
	} else {			/* rax << bits >> bits (arithmetic) */
		n->op = T_SHR;
		n->a = node_make(a, N_BINARY, n->loc, T_SHL, rax,
				 number(a, n->loc, bits), NULL);
		n->b = number(a, n->loc, bits);
	}
	n->height = (uint16_t)(n->a->height + 1);
	return true;
}

/* The first provider of the table that owns @p, or NULL. */
static const struct provider *owner(const struct probe *p)
{
#define VT_PROVIDER_OWNS(name)						\
	if (provider_##name.owns && provider_##name.owns(p))		\
		return &provider_##name;
	VT_PROVIDERS(VT_PROVIDER_OWNS)
#undef VT_PROVIDER_OWNS
	return NULL;
}

bool targetvar_params(struct arena *a, const struct probe *p,
		      const char **out, size_t max, size_t *n)
{
	const struct provider *pv = owner(p);

	*n = 0;
	return pv && pv->params && pv->params(a, p, out, max, n);
}

void targetvar_proto_names(struct arena *a, struct elf_proto *pr,
			   const char **out, size_t max, size_t *n)
{
	for (*n = 0; *n < pr->nparams && *n < max; (*n)++)
		out[*n] = arena_strndup(a, pr->params[*n].name, strlen(pr->params[*n].name));
	elf_proto_free(pr);
}

bool targetvar_rewrite(struct diag *d, struct arena *a, struct probe *p,
		       struct node *n)
{
	const struct provider *pv;

	if (!strcmp(n->str, "register"))
		return rewrite_register(d, n);
	if (n->str[0] != '$')
		return false;
	pv = owner(p);
	if (pv && pv->target_var(d, a, p, n))
		return n->kind != N_CALL;	/* N_ERROR, or bound already */
	if (!strcmp(n->str, "$return"))
		diag_error(d, n->loc, "'$return' is only available in "
			   "kernel.function(\"...\").return probes");
	else
		diag_error(d, n->loc, "unknown target variable '%s' (kernel "
			   "function arguments need debug info: use "
			   "int_arg(N), long_arg(N), pointer_arg(N))", n->str);
	return targetvar_fail(n);
}
