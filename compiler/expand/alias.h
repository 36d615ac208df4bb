/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * alias.h - probe aliases (SystemTap's `probe NAME = POINTS { prologue }`
 * and `probe NAME += POINTS { epilogue }`), expanded between pass 1 and
 * pass 2.
 *
 * Expansion: a point of a probe that matches alias names (wildcards per
 * component: `syscall.open*`; extra trailing components are appended to
 * the alias's points when no alias matches the whole name) is replaced,
 * per matching alias, by a new probe on the alias's points whose body is
 * { prologue; body } or { body; epilogue }, each a fresh copy, so the
 * variables a prologue assigns are locals of the combined probe.  Aliases
 * used by aliases expand the same way; a cycle is an error.  Points that
 * match no alias stay in the probe and go to the providers (probes/).
 * `never` points are dropped; `kernel.syscall.X` is the raw syscall point
 * `syscall.X` (tapset aliases take the `syscall.` names).
 *
 * Top-level assignments of an alias body to a local that nothing in the
 * combined probe reads are dropped when the value has no side effect
 * (like SystemTap's elision), so `syscall.*` does not read every path.
 */
#ifndef VTC_ALIAS_H
#define VTC_ALIAS_H

#include "lang/ast.h"
#include "lang/diag.h"

/* Does @use (a probe point as written) name alias @al? */
bool alias_matches(const struct alias *al, const struct probe_point *use,
		   bool whole);

/*
 * Expand every alias use of @s's probes.  @provider_root(NAME): is NAME
 * the first component of a provider's points (the driver passes the
 * provider table's answer)?  A use that matches no alias and no
 * provider is an unknown point.  Returns 0 or -1 (reported).
 */
int alias_expand(struct diag *d, struct script *s,
		 bool (*provider_root)(const char *name));

#endif /* VTC_ALIAS_H */
