/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * targetvar.h - target variables ($name, $return, tracepoint fields) and
 * the builtins whose argument is resolved at compile time
 * (register("rdi")), rewritten by sema (pass 2) into plain helper calls
 * with constant arguments, so that type inference and code generation
 * need nothing new.  targetvar_rewrite() is the one entry point; it asks
 * the provider that owns the probe (provider.h).  The rest is shared by
 * the providers' target_var functions.
 */
#ifndef VTC_TARGETVAR_H
#define VTC_TARGETVAR_H

#include <stdbool.h>

#include "lang/ast.h"
#include "lang/diag.h"

/*
 * If @n (an N_CALL) names a target variable ("$name", as the parser
 * stores it) or register(), rewrite it in place into a call of the
 * helper that reads it in probe @p (for "$name": the provider that owns
 * @p, else a message).  Returns true when sema must not
 * bind @n: after reporting an error (@n is N_ERROR), or when @n became
 * an expression whose calls are bound (a $return narrowed to its type);
 * false otherwise (@n a call to bind, or not ours).
 */
bool targetvar_rewrite(struct diag *d, struct arena *a, struct probe *p,
		       struct node *n);

struct elf_proto;
struct elf_value;

/*
 * Parameter @name of function @func, whose signature (from DWARF or BTF)
 * is @pr, into @v: false after reporting a name @func does not have
 * ("did you mean") or a parameter no integer register holds.  Frees @pr.
 */
bool targetvar_param(struct diag *d, const struct node *n, const char *func,
		     struct elf_proto *pr, struct elf_value *v);

/*
 * Fold parameter @v of every point of a probe into @first (@i: the
 * point's index): false after reporting that it differs between points.
 * A C type that differs between points (same register) folds to NULL.
 */
bool targetvar_same_param(struct diag *d, const struct node *n, size_t i,
			  const struct elf_value *v, struct elf_value *first);

/*
 * Fold the return type @ret of point @i of a probe into @first.  Points
 * whose types differ (void included) leave kind 0: all of rax, as in
 * one unit for all points no single type is right.  Unknown (kind 0)
 * also stands for all of rax.
 */
void targetvar_same_return(size_t i, const struct elf_value *ret,
			   struct elf_value *first);

/*
 * Rewrite $return @n into rax read as @ret (from targetvar_same_return):
 * a narrower integer is truncated to its size and sign-extended when
 * signed, an N_BINARY over a bound register(0) call; otherwise @n is the
 * call register(0), left to sema.  Either way n->ctype is the C type.  False after reporting that @func
 * (every point's function) returns void or a floating-point value.
 */
bool targetvar_return_call(struct diag *d, struct arena *a, struct node *n,
			   const char *func, const struct elf_value *ret);

/* Rewrite @n into the read of parameter @v (int_arg(N), pointer_arg(N)...),
 * its C type in n->ctype (for probes/texpr.c). */
void targetvar_param_call(struct arena *a, struct node *n,
			  const struct elf_value *v);

/*
 * The names of probe @p's parameters, for $$parms (provider.h's
 * params): false when the probe's provider cannot name them.
 */
bool targetvar_params(struct arena *a, const struct probe *p,
		      const char **out, size_t max, size_t *n);

/* Copy @pr's parameter names into @out (at most @max, in @a), their count
 * in *@n; frees @pr.  Shared by the providers' params. */
void targetvar_proto_names(struct arena *a, struct elf_proto *pr,
			   const char **out, size_t max, size_t *n);

/* Turn @n into N_ERROR after its error was reported; returns true. */
bool targetvar_fail(struct node *n);

#endif /* VTC_TARGETVAR_H */
