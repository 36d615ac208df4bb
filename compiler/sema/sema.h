/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sema.h - pass 2: resolve names, infer types, resolve probe points.
 *
 * After a successful sema_script():
 *  - every N_IDENT has ->sym; every symbol has type long or string;
 *  - every expression node has ->type (TY_VOID for calls returning
 *    nothing, allowed only as an expression statement);
 *  - every N_CALL has ->helper (or -1 for printf, with ->sig set);
 *  - every probe point has ->type and its target or period.
 */
#ifndef VTC_SEMA_H
#define VTC_SEMA_H

#include "lang/ast.h"
#include "lang/diag.h"

/* Returns 0, or -1 after reporting errors. */
int sema_script(struct diag *d, struct script *s);

#endif /* VTC_SEMA_H */
