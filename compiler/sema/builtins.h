/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * builtins.h - how a helper's arguments appear in the script.  The VM
 * takes a helper's long arguments from consecutive registers and its
 * string arguments from consecutive slots (vt_isa.h); in the script they
 * may interleave, as in substr(str, start, length).
 */
#ifndef VTC_BUILTINS_H
#define VTC_BUILTINS_H

#include <stdbool.h>

#include "lang/ast.h"

/*
 * The kinds of helper @id's arguments in script order, one 'l' or 's'
 * each ('k': a long that must be a stack reference): the long
 * arguments first, then the strings, unless the helper is listed
 * otherwise in builtins.c.
 */
const char *builtin_arg_kinds(int id);

/*
 * The helper a call of @name with @nargs arguments means: SystemTap's
 * overloads with an error message, kernel_string(addr, err_msg) and the
 * like, are helpers of their own (kernel_string2).  Else @name.
 */
const char *builtin_overload(const char *name, int nargs);

/*
 * SystemTap's stack functions (backtrace(), print_stack(s), caller() ...)
 * as calls of the stack helpers (vm/stack.c), rewriting the N_CALL @n in
 * place (print_* become print() of the helper's result).  Returns 1 when
 * rewritten, 0 when @n is not one, -(N + 1) when it is one taking N
 * arguments but has another number.
 */
int builtin_stack_rewrite(struct arena *a, struct node *n);
/* Helper @id returns a stack reference (TY_STACK), not a plain long. */
bool builtin_stack_result(int id);
/* Helper @id stores stacks: the image needs a stack table (nstacks). */
bool builtin_needs_stacks(int id);

#endif /* VTC_BUILTINS_H */
