// SPDX-License-Identifier: GPL-2.0-only
/*
 * strfuncs.c - the string builtins of SystemTap's string tapset (strlen,
 * substr, stringat, isinstr, strpos, str_replace, strtol, isdigit,
 * text_str, text_strn, string_quoted, toupper, tolower), as CALLH
 * helpers.
 *
 * Arguments (see vt_isa.h): the longs in call->largs, the strings in
 * call->sargs, strsize bytes apart, each NUL-terminated within strsize.
 * Every loop is bounded by strsize, and the result slot is written with
 * at most strsize - 1 bytes and a NUL, even if it aliases an argument
 * (the compiler never does that; the output is then merely garbled).
 */
#include "vt_priv.h"

static const char *sarg(const struct vt_call *call, u32 i)
{
	return call->sargs + i * call->strsize;
}

static u32 slen(const struct vt_call *call, const char *s)
{
	return vt_strnlen(s, call->strsize - 1);
}

/* Index of the first @needle in @hay, or -1. */
static s64 str_find(const char *hay, u32 lh, const char *needle, u32 ln)
{
	u32 i, j;

	if (ln > lh)
		return -1;
	for (i = 0; i + ln <= lh; i++) {
		for (j = 0; j < ln && hay[i + j] == needle[j]; j++)
			;
		if (j == ln)
			return i;
	}
	return -1;
}

enum vt_fault vt_helper_strlen(struct vt_call *call)
{
	*call->lret = slen(call, sarg(call, 0));
	return VT_FAULT_NONE;
}

/* substr(str, start, length): "" when start is outside the string. */
enum vt_fault vt_helper_substr(struct vt_call *call)
{
	const char *s = sarg(call, 0);
	s64 start = call->largs[0], len = call->largs[1];
	u32 n = slen(call, s), i;
	char *out = call->sret;

	if (start < 0 || start >= n || len <= 0) {
		out[0] = '\0';
		return VT_FAULT_NONE;
	}
	if (len > n - start)
		len = n - start;
	for (i = 0; i < len; i++)
		out[i] = s[start + i];
	out[len] = '\0';
	return VT_FAULT_NONE;
}

/* stringat(str, pos): the byte at pos, 0 outside the string. */
enum vt_fault vt_helper_stringat(struct vt_call *call)
{
	const char *s = sarg(call, 0);
	s64 pos = call->largs[0];

	*call->lret = pos >= 0 && pos < slen(call, s) ? (s64)(u8)s[pos] : 0;
	return VT_FAULT_NONE;
}

enum vt_fault vt_helper_isinstr(struct vt_call *call)
{
	const char *a = sarg(call, 0), *b = sarg(call, 1);

	*call->lret = str_find(a, slen(call, a), b, slen(call, b)) >= 0;
	return VT_FAULT_NONE;
}

enum vt_fault vt_helper_strpos(struct vt_call *call)
{
	const char *a = sarg(call, 0), *b = sarg(call, 1);

	*call->lret = str_find(a, slen(call, a), b, slen(call, b));
	return VT_FAULT_NONE;
}

/* str_replace(str, search, replace): every occurrence, left to right. */
enum vt_fault vt_helper_str_replace(struct vt_call *call)
{
	const char *s = sarg(call, 0), *f = sarg(call, 1), *r = sarg(call, 2);
	u32 ls = slen(call, s), lf = slen(call, f), lr = slen(call, r);
	u32 cap = call->strsize - 1, n = 0, i = 0, j;
	char *out = call->sret;
	s64 at;

	while (i < ls && n < cap) {
		at = lf ? str_find(s + i, ls - i, f, lf) : -1;
		if (at < 0)
			at = ls - i;
		for (j = 0; j < at && n < cap; j++)
			out[n++] = s[i + j];
		i += (u32)at;
		if (i >= ls)
			break;
		for (j = 0; j < lr && n < cap; j++)
			out[n++] = r[j];
		i += lf;
	}
	out[n] = '\0';
	return VT_FAULT_NONE;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * strtol(str, base), like the kernel's simple_strtol: an optional '-',
 * base 0 guesses 16 ("0x"), 8 ("0") or 10; base 16 skips "0x"; stops at
 * the first character that is not a digit of the base.  Wraps.
 */
enum vt_fault vt_helper_strtol(struct vt_call *call)
{
	const char *s = sarg(call, 0);
	u32 n = slen(call, s), i = 0;
	s64 base = call->largs[0];
	bool neg = false;
	u64 v = 0;
	int d;

	if (i < n && s[i] == '-') {
		neg = true;
		i++;
	}
	if (base == 0) {
		base = 10;
		if (i < n && s[i] == '0') {
			base = 8;
			if (i + 2 < n + 1 && (s[i + 1] | 0x20) == 'x' &&
			    digit_value(s[i + 2]) < 16)
				base = 16;
		}
	}
	if (base == 16 && i + 1 < n && s[i] == '0' &&
	    (s[i + 1] | 0x20) == 'x' && digit_value(s[i + 2]) < 16)
		i += 2;
	if (base < 2 || base > 36)
		base = 10;
	for (; i < n && (d = digit_value(s[i])) < base; i++)
		v = v * (u64)base + (u64)d;
	*call->lret = neg ? (s64)(0 - v) : (s64)v;
	return VT_FAULT_NONE;
}

enum vt_fault vt_helper_isdigit(struct vt_call *call)
{
	char c = sarg(call, 0)[0];

	*call->lret = c >= '0' && c <= '9';
	return VT_FAULT_NONE;
}

/*
 * SystemTap's text escaping: printable ASCII as is except '"' and '\',
 * which get a backslash like \a \b \f \n \r \t \v; any other byte as
 * \ooo.  At most @len output bytes (0 or too big: strsize - 1); quoted:
 * within double quotes, and a string cut short ends in "...
 */
static void text_escape(struct vt_call *call, const char *in, s64 len,
			bool quoted)
{
	static const char esc_from[] = "\a\b\f\n\r\t\v\"\\";
	static const char esc_to[] = "abfnrtv\"\\";
	u32 cap = call->strsize - 1, n = slen(call, in), i, k;
	char *tmp = call->sret, *out;
	u8 c = 0;

	/* in may not alias sret (the compiler guarantees it). */
	if (len <= 0 || len > cap)
		len = cap;
	out = tmp;
	if (quoted) {
		len = (len < 5 ? 5 : len) - 2;
		*out++ = '"';
	}
	for (i = 0; i < n && len > 0; i++) {
		c = (u8)in[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			*out++ = (char)c;
			len--;
			continue;
		}
		for (k = 0; esc_from[k] && (u8)esc_from[k] != c; k++)
			;
		if (len < (esc_from[k] ? 2 : 4))
			break;
		*out++ = '\\';
		if (esc_from[k]) {
			*out++ = esc_to[k];
			len -= 2;
		} else {
			*out++ = (char)('0' + ((c >> 6) & 3));
			*out++ = (char)('0' + ((c >> 3) & 7));
			*out++ = (char)('0' + (c & 7));
			len -= 4;
		}
	}
	if (quoted) {
		if (i < n) {
			out = out - 3 + len;
			*out++ = '"';
			*out++ = '.';
			*out++ = '.';
			*out++ = '.';
		} else {
			*out++ = '"';
		}
	}
	*out = '\0';
}

enum vt_fault vt_helper_text_str(struct vt_call *call)
{
	text_escape(call, sarg(call, 0), 0, false);
	return VT_FAULT_NONE;
}

/* text_strn(str, len, quoted) */
enum vt_fault vt_helper_text_strn(struct vt_call *call)
{
	text_escape(call, sarg(call, 0), call->largs[0], call->largs[1] != 0);
	return VT_FAULT_NONE;
}

enum vt_fault vt_helper_string_quoted(struct vt_call *call)
{
	text_escape(call, sarg(call, 0), 0, true);
	return VT_FAULT_NONE;
}

/* toupper(s), tolower(s): ASCII letters changed, other bytes kept. */
static void case_map(struct vt_call *call, char lo, char hi, int delta)
{
	const char *s = sarg(call, 0);
	u32 i;

	for (i = 0; s[i] && i < call->strsize - 1; i++)
		call->sret[i] = s[i] >= lo && s[i] <= hi ? (char)(s[i] + delta) :
			       s[i];
	call->sret[i] = '\0';
}

enum vt_fault vt_helper_toupper(struct vt_call *call)
{
	case_map(call, 'a', 'z', 'A' - 'a');
	return VT_FAULT_NONE;
}

enum vt_fault vt_helper_tolower(struct vt_call *call)
{
	case_map(call, 'A', 'Z', 'a' - 'A');
	return VT_FAULT_NONE;
}
