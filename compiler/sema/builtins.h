/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * builtins.h - how a helper's arguments appear in the script.  The VM
 * takes a helper's long arguments from consecutive registers and its
 * string arguments from consecutive slots (vt_isa.h); in the script they
 * may interleave, as in substr(str, start, length).
 */
#ifndef VTC_BUILTINS_H
#define VTC_BUILTINS_H

/*
 * The kinds of helper @id's arguments in script order, one 'l' or 's'
 * each: the long arguments first, then the strings, unless the helper
 * is listed otherwise in builtins.c.
 */
const char *builtin_arg_kinds(int id);

/*
 * The helper a call of @name with @nargs arguments means: SystemTap's
 * overloads with an error message, kernel_string(addr, err_msg) and the
 * like, are helpers of their own (kernel_string2).  Else @name.
 */
const char *builtin_overload(const char *name, int nargs);

#endif /* VTC_BUILTINS_H */
