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
 * Each helper adds the bytes it measured, compared and wrote to
 * call->work (the interpreter charges it, VT_COST_BYTES); every one is
 * linear in its strings, searching included.
 */
#include "vt_priv.h"

static const char *sarg(const struct vt_call *call, u32 i)
{
	return call->sargs + i * call->strsize;
}

/* The length of @s, counted as work. */
static u32 slen(struct vt_call *call, const char *s)
{
	u32 n = vt_strnlen(s, call->strsize - 1);

	call->work += n;
	return n;
}

/*
 * Searching: the Two-Way algorithm of Crochemore and Perrin (1991), in
 * linear time and constant space whatever the strings.  The needle x is
 * split at a critical position into a left part x[0..ell] and a right
 * part x[ell+1..m).  At each alignment j of the haystack the right part
 * is compared left to right, then the left part right to left.  A
 * mismatch in the right part at i shifts by i - ell; a full match of the
 * right part and a mismatch in the left part shifts by the period of x
 * when x is periodic (remembering the prefix already known to match) and
 * by more than half of m otherwise.  At most 2n + m byte comparisons for
 * a haystack of n bytes, after at most 4m to split the needle.
 */
struct vt_needle {
	const u8 *x;
	s32 m;
	s32 ell;		/* the left part is x[0..ell], -1 <= ell < m */
	s32 shift;		/* after the left part mismatches */
	bool periodic;		/* x has period `shift`: keep `memory` */
};

/*
 * The maximal suffix of x[0..m) in byte order (@rev: reversed order):
 * returns its start - 1, its period in *@per.  Linear: every step
 * advances j + k, or ms with j.
 */
static s32 max_suffix(const u8 *x, s32 m, bool rev, s32 *per, u32 *work)
{
	s32 ms = -1, j = 0, k = 1, p = 1;
	u8 a, b;

	while (j + k < m) {
		a = x[j + k];
		b = x[ms + k];
		if (a == b) {
			if (k == p) {
				j += p;
				k = 1;
			} else {
				k++;
			}
		} else if ((a < b) != rev) {
			j += k;		/* the suffix at ms stays maximal */
			k = 1;
			p = j - ms;
		} else {
			ms = j;		/* a larger suffix starts at j + 1 */
			j = ms + 1;
			k = 1;
			p = 1;
		}
		(*work)++;
	}
	*per = p;
	return ms;
}

/* Split needle @x of @m >= 1 bytes at a critical position. */
static void needle_init(struct vt_needle *nd, const char *x, s32 m, u32 *work)
{
	s32 i, j, p, q, k;

	nd->x = (const u8 *)x;
	nd->m = m;
	i = max_suffix(nd->x, m, false, &p, work);
	j = max_suffix(nd->x, m, true, &q, work);
	nd->ell = i > j ? i : j;
	nd->shift = i > j ? p : q;
	/* Periodic if the left part recurs one period later. */
	for (k = 0; k <= nd->ell && nd->x[k] == nd->x[k + nd->shift]; k++)
		;
	*work += (u32)k;
	nd->periodic = k > nd->ell;
	if (!nd->periodic)
		nd->shift = (nd->ell + 1 > m - nd->ell - 1 ?
			     nd->ell + 1 : m - nd->ell - 1) + 1;
}

/* Index of the first occurrence of the needle in @hay[0..n), or -1. */
static s32 needle_find(const struct vt_needle *nd, const char *hay, s32 n,
		       u32 *work)
{
	const u8 *x = nd->x, *y = (const u8 *)hay;
	s32 m = nd->m, ell = nd->ell, j = 0, i, i0, memory = -1;

	while (j <= n - m) {
		i0 = i = (ell > memory ? ell : memory) + 1;
		while (i < m && x[i] == y[i + j])
			i++;
		*work += (u32)(i - i0) + 1;
		if (i < m) {
			j += i - ell;
			memory = -1;
			continue;
		}
		i0 = i = ell;
		while (i > memory && x[i] == y[i + j])
			i--;
		*work += (u32)(i0 - i);
		if (i <= memory)
			return j;
		j += nd->shift;
		memory = nd->periodic ? m - nd->shift - 1 : -1;
	}
	return -1;
}

/* Index of the first @needle (ln bytes) in @hay (lh bytes), or -1. */
static s64 str_find(const char *hay, u32 lh, const char *needle, u32 ln,
		    u32 *work)
{
	struct vt_needle nd;

	if (!ln)
		return 0;
	if (ln > lh)
		return -1;
	needle_init(&nd, needle, (s32)ln, work);
	return needle_find(&nd, hay, (s32)lh, work);
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
	call->work += (u32)len;
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

	*call->lret = str_find(a, slen(call, a), b, slen(call, b),
			       &call->work) >= 0;
	return VT_FAULT_NONE;
}

enum vt_fault vt_helper_strpos(struct vt_call *call)
{
	const char *a = sarg(call, 0), *b = sarg(call, 1);

	*call->lret = str_find(a, slen(call, a), b, slen(call, b),
			       &call->work);
	return VT_FAULT_NONE;
}

/*
 * str_replace(str, search, replace): every occurrence, left to right.
 * One needle, each search resuming after the last match: linear overall.
 */
enum vt_fault vt_helper_str_replace(struct vt_call *call)
{
	const char *s = sarg(call, 0), *f = sarg(call, 1), *r = sarg(call, 2);
	u32 ls = slen(call, s), lf = slen(call, f), lr = slen(call, r);
	u32 cap = call->strsize - 1, n = 0, i = 0, j;
	char *out = call->sret;
	struct vt_needle nd;
	s32 at;

	if (lf && lf <= ls)
		needle_init(&nd, f, (s32)lf, &call->work);
	while (i < ls && n < cap) {
		at = lf && lf <= ls - i ?
		     needle_find(&nd, s + i, (s32)(ls - i), &call->work) : -1;
		if (at < 0)
			at = (s32)(ls - i);
		for (j = 0; j < (u32)at && n < cap; j++)
			out[n++] = s[i + j];
		i += (u32)at;
		if (i >= ls)
			break;
		for (j = 0; j < lr && n < cap; j++)
			out[n++] = r[j];
		i += lf;
	}
	out[n] = '\0';
	call->work += n;
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
	call->work += i * VT_COST_STEP;
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
		call->work += VT_COST_STEP;
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
	call->work += (u32)(out - tmp);
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
	call->work += i;
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
