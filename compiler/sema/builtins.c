// SPDX-License-Identifier: GPL-2.0-only
/* builtins.c - see builtins.h. */
#include <string.h>

#include "builtins.h"
#include "vt_isa.h"

/* Helpers whose script argument order is not longs-then-strings. */
static const struct {
	const char *name;
	const char *kinds;
} script_order[] = {
	{ "substr", "sll" },
	{ "stringat", "sl" },
	{ "strtol", "sl" },
	{ "text_strn", "sll" },
	{ "_stack_mode", "kl" },	/* k: a stack reference */
};

/* Helpers whose long result is a stack reference (TY_STACK). */
static const char *const stack_helpers[] = {
	"_kstack", "_stack_mode", "_addr_ref", "_ustack",
};

/*
 * SystemTap's stack functions, each a helper call (vm/stack.c).  Its
 * arguments, per letter of args: 'a' the script's argument, 'n' the
 * next of k[], 'c' the caller's address (_kframe(1)).  print: the call
 * is printed (print_backtrace() is print(sprint_backtrace()) with the
 * full format).
 */
static const struct stack_fn {
	const char *name;
	int nargs;
	const char *helper;
	const char *args;
	int64_t k[3];
	bool print;
} stack_fns[] = {
	{ "backtrace", 0, "_kstack", "nnn",
	  { 0, VT_STACK_DEPTH, VT_STACK_HEX }, false },
	{ "sprint_backtrace", 0, "_kstack", "nnn",
	  { 0, VT_STACK_DEPTH, VT_STACK_LINES }, false },
	{ "print_backtrace", 0, "_kstack", "nnn",
	  { 0, VT_STACK_DEPTH, VT_STACK_FULL }, true },
	{ "callers", 1, "_kstack", "nan", { 1, VT_STACK_HEX }, false },
	{ "sprint_stack", 1, "_stack_mode", "an", { VT_STACK_LINES }, false },
	{ "print_stack", 1, "_stack_mode", "an", { VT_STACK_FULL }, true },
	{ "symname", 1, "_addr_ref", "an", { VT_STACK_NAME }, false },
	{ "symdata", 1, "_addr_ref", "an", { VT_STACK_DATA }, false },
	{ "caller", 0, "_addr_ref", "cn", { VT_STACK_CALLER }, false },
	{ "caller_addr", 0, "_kframe", "n", { 1 }, false },
	{ "ubacktrace", 0, "_ustack", "nnn",
	  { 0, VT_STACK_DEPTH, VT_STACK_HEX }, false },
	{ "sprint_ubacktrace", 0, "_ustack", "nnn",
	  { 0, VT_STACK_DEPTH, VT_STACK_LINES }, false },
	{ "print_ubacktrace", 0, "_ustack", "nnn",
	  { 0, VT_STACK_DEPTH, VT_STACK_FULL }, true },
	{ "ucallers", 1, "_ustack", "nan", { 1, VT_STACK_HEX }, false },
	{ "sprint_ustack", 1, "_stack_mode", "an", { VT_STACK_LINES }, false },
	{ "print_ustack", 1, "_stack_mode", "an", { VT_STACK_FULL }, true },
	{ "stack", 1, "_kframe", "a", { 0 }, false },
};

static struct node *num_node(struct arena *a, struct vtc_loc loc, int64_t v)
{
	struct node *n = node_new(a, N_NUM, loc);

	n->num = v;
	return n;
}

static struct node *call_node(struct arena *a, struct vtc_loc loc,
			      const char *name, struct node *args)
{
	struct node *n = node_new(a, N_CALL, loc);

	n->str = name;
	n->a = args;
	for (; args; args = args->next)
		if (args->height + 1 > n->height)
			n->height = args->height + 1;
	return n;
}

/* The helper call @f makes of the script's arguments @user. */
static struct node *stack_call(struct arena *a, const struct stack_fn *f,
			       struct vtc_loc loc, struct node *user)
{
	struct node *first = NULL, **tail = &first, *x;
	int k = 0;

	for (const char *p = f->args; *p; p++) {
		if (*p == 'a') {
			x = user;
			user = user->next;
			x->next = NULL;
		} else if (*p == 'n') {
			x = num_node(a, loc, f->k[k++]);
		} else {
			x = call_node(a, loc, "_kframe", num_node(a, loc, 1));
		}
		*tail = x;
		tail = &x->next;
	}
	return call_node(a, loc, f->helper, first);
}

int builtin_stack_rewrite(struct arena *a, struct node *n)
{
	const struct stack_fn *f = NULL;
	int nargs = 0;

	for (size_t i = 0; i < sizeof(stack_fns) / sizeof(stack_fns[0]); i++)
		if (!strcmp(stack_fns[i].name, n->str))
			f = &stack_fns[i];
	if (!f)
		return 0;
	for (struct node *x = n->a; x; x = x->next)
		nargs++;
	if (nargs != f->nargs)
		return -(f->nargs + 1);
	if (f->print) {
		n->a = stack_call(a, f, n->loc, n->a);
		n->str = "print";
		n->height = n->a->height + 1;
	} else {
		struct node *c = stack_call(a, f, n->loc, n->a);

		n->str = c->str;
		n->a = c->a;
		n->height = c->height;
	}
	return 1;
}

bool builtin_stack_result(int id)
{
	for (size_t i = 0; i < sizeof(stack_helpers) / sizeof(stack_helpers[0]);
	     i++)
		if (id >= 0 && id < VT_HELPER_COUNT &&
		    !strcmp(stack_helpers[i], vt_helper_info[id].name))
			return true;
	return false;
}

bool builtin_needs_stacks(int id)
{
	return id == VT_HELPER__kstack || id == VT_HELPER__ustack ||
	       id == VT_HELPER__addr_ref;
}

/* Overloads: name, argument count, the helper that implements it. */
static const struct {
	const char *name;
	int nargs;
	const char *helper;
} overloads[] = {
	{ "kernel_string", 2, "kernel_string2" },
	{ "user_string", 2, "user_string2" },
	{ "user_string_n", 3, "user_string_n2" },
};

const char *builtin_overload(const char *name, int nargs)
{
	for (size_t i = 0; i < sizeof(overloads) / sizeof(overloads[0]); i++)
		if (overloads[i].nargs == nargs &&
		    !strcmp(overloads[i].name, name))
			return overloads[i].helper;
	return name;
}

const char *builtin_arg_kinds(int id)
{
	static char kinds[VT_HELPER_COUNT][16];
	const struct vt_helper_info *h;
	int n = 0;

	if (id < 0 || id >= VT_HELPER_COUNT)
		return "";
	h = &vt_helper_info[id];
	for (size_t i = 0; i < sizeof(script_order) / sizeof(script_order[0]);
	     i++)
		if (!strcmp(script_order[i].name, h->name))
			return script_order[i].kinds;
	if (!kinds[id][0]) {
		for (int i = 0; i < h->nlong && n < 15; i++)
			kinds[id][n++] = 'l';
		for (int i = 0; i < h->nstr && n < 15; i++)
			kinds[id][n++] = 's';
		kinds[id][n] = 0;
	}
	return kinds[id];
}
