/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * format.h - printf format strings: %[flags][width][.precision]conv with
 * flags "-+ #0", width and precision digits or '*', and the conversions
 * d i u x X o c p b m M (a long), s (a string), %% (no argument).  A '*'
 * takes a long argument before the value.
 */
#ifndef VTC_FORMAT_H
#define VTC_FORMAT_H

#include <stddef.h>

/*
 * Write the signature of @fmt ('l'/'s' per argument, NUL-terminated) into
 * @sig of @cap bytes.  Returns the argument count, or -1 with a message in
 * @err and the byte offset of the bad conversion in *@errpos.
 */
int format_signature(const char *fmt, char *sig, size_t cap, char *err,
		     size_t errcap, size_t *errpos);

/*
 * The byte offset in @fmt of the conversion character that takes value
 * argument @arg (0-based, counting '*' arguments), or -1 (none, or @arg
 * is a '*').  @fmt has passed format_signature().
 */
int format_arg_conv(const char *fmt, int arg);

#endif /* VTC_FORMAT_H */
