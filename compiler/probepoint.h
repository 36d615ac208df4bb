/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * probepoint.h - resolving probe points (part of pass 2).
 */
#ifndef VTC_PROBEPOINT_H
#define VTC_PROBEPOINT_H

#include "ast.h"
#include "diag.h"

/*
 * Set @pt's type and target or period from its components, or report
 * "unknown probe point" (or a more precise error) at its location.
 */
void probepoint_resolve(struct diag *d, struct arena *a,
			struct probe_point *pt);

/* The probe point as written ("timer.ms(200)"), in @a. */
const char *point_text(struct arena *a, const struct probe_point *pt);

#endif /* VTC_PROBEPOINT_H */
