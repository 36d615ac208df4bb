/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kallsyms.h - kernel function entry addresses from /proc/kallsyms
 * (VTRACE_KALLSYMS names another file; set but empty: none), read once
 * per process and scanned for the wanted names only.  Text symbols of
 * vmlinux only; a name defined at two addresses, or hidden addresses
 * (kptr_restrict), give 0.
 */
#ifndef VTC_KALLSYMS_H
#define VTC_KALLSYMS_H

#include <stddef.h>

#include "lang/ast.h"

/* Set pts[i]->offset to the address of pts[i]->target (or 0), for
 * @pts[0..n), from one scan of kallsyms. */
void kallsyms_addrs(struct probe_point **pts, size_t n);

#endif /* VTC_KALLSYMS_H */
