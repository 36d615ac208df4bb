/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * entry.h - @entry(EXPR) in return probes, rewritten before sema.
 */
#ifndef VTC_ENTRY_H
#define VTC_ENTRY_H

#include "lang/ast.h"
#include "lang/diag.h"

/*
 * For each probe whose body uses @entry(EXPR): every point must be a
 * function's .return (kernel.function, module().function,
 * process().function).  A probe on the same points without .return is
 * added that stores each EXPR, evaluated at the call, in a hidden array
 * keyed by tid(); the return probe takes the value (and deletes the
 * entry) when it starts, and each @entry(EXPR) reads that local.
 * Returns nonzero after an error.
 */
int entry_expand(struct diag *d, struct script *s);

#endif /* VTC_ENTRY_H */
