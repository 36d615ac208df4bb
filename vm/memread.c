// SPDX-License-Identifier: GPL-2.0-only
/*
 * memread.c - reading the traced memory: SystemTap's kernel_long ..
 * kernel_string_quoted (conversions tapset) and user_long ..
 * user_string_quoted (uconversions tapset), as CALLH helpers.
 *
 * Every byte comes through vt_host_read(), which never faults or sleeps
 * and fails (-1) for an unreadable address; for user memory also when the
 * probed context has none (a kernel thread) or cannot read it safely.
 * What a failed read gives:
 *   kernel_<number>, kernel_string, kernel_string_n, user_string,
 *   user_string_n: fault READ, detail = the address asked for;
 *   user_<number>: 0 (as SystemTap's, which catch their own error);
 *   the *2 forms: their err_msg argument;
 *   *_string_quoted: the address as "0x..";
 *   _deref (the compiler's read of `->` and typed values): fault READ,
 *   detail = the address, for kernel and user memory alike.
 * Numbers are sign-extended from their size (x86-64: char is signed).
 *
 * Each vt_host_read() (a number, or a chunk of a string) adds one budget
 * unit to call->work, and each byte the *_quoted forms keep counts
 * 4 x VT_COST_STEP (two passes; vt_isa.h's cost rule).
 *
 * Strings are read in chunks of at most VT_READ_CHUNK bytes that never
 * cross a multiple of VT_READ_CHUNK, hence never a page boundary: bytes
 * past the terminating NUL that are read share its page, so a string
 * that ends just before an unmapped page reads fine.  At most strsize - 1
 * bytes are read; a longer string is cut there.
 */
#include "vt_priv.h"

#define VT_READ_CHUNK	64u

static u64 addr_arg(const struct vt_call *call)
{
	return (u64)call->largs[0];
}

/* A signed number of @size (1, 2, 4 or 8) bytes at the first argument. */
static int read_number(struct vt_call *call, u32 size, bool user)
{
	union {
		s8 b;
		s16 h;
		s32 w;
		s64 d;
	} v;

	call->work += VT_COST_BYTES;
	if (vt_host_read(call->ex->host, &v, addr_arg(call), size, user))
		return -1;
	if (size == 1)
		*call->lret = v.b;
	else if (size == 2)
		*call->lret = v.h;
	else if (size == 4)
		*call->lret = v.w;
	else
		*call->lret = v.d;
	return 0;
}

static enum vt_fault kernel_number(struct vt_call *call, u32 size)
{
	if (!read_number(call, size, false))
		return VT_FAULT_NONE;
	call->detail = (s64)addr_arg(call);
	return VT_FAULT_READ;
}

static enum vt_fault user_number(struct vt_call *call, u32 size)
{
	if (read_number(call, size, true))
		*call->lret = 0;
	return VT_FAULT_NONE;
}

enum vt_fault vt_helper_kernel_long(struct vt_call *call)
{
	return kernel_number(call, 8);
}

enum vt_fault vt_helper_kernel_int(struct vt_call *call)
{
	return kernel_number(call, 4);
}

enum vt_fault vt_helper_kernel_short(struct vt_call *call)
{
	return kernel_number(call, 2);
}

enum vt_fault vt_helper_kernel_char(struct vt_call *call)
{
	return kernel_number(call, 1);
}

enum vt_fault vt_helper_kernel_pointer(struct vt_call *call)
{
	return kernel_number(call, 8);
}

/*
 * _deref(addr, how): one read that `how` (VT_DEREF_HOW, vtrace_uapi.h)
 * describes.  The verifier cannot see a register's value, so the
 * invariant "how is VT_DEREF_VALID" is enforced here: any other how
 * faults HELPER before memory is touched.
 */
enum vt_fault vt_helper__deref(struct vt_call *call)
{
	s64 how = call->largs[1];
	u32 size = VT_DEREF_SIZE(how);
	union {
		u8 b;
		u16 h;
		u32 w;
		u64 d;
	} v;

	if (!VT_DEREF_VALID(how))
		return VT_FAULT_HELPER;
	call->work += VT_COST_BYTES;
	if (vt_host_read(call->ex->host, &v, addr_arg(call), size,
			 VT_DEREF_USER(how))) {
		call->detail = (s64)addr_arg(call);
		return VT_FAULT_READ;
	}
	if (size == 1)
		*call->lret = VT_DEREF_SIGNED(how) ? (s64)(s8)v.b : (s64)v.b;
	else if (size == 2)
		*call->lret = VT_DEREF_SIGNED(how) ? (s64)(s16)v.h : (s64)v.h;
	else if (size == 4)
		*call->lret = VT_DEREF_SIGNED(how) ? (s64)(s32)v.w : (s64)v.w;
	else
		*call->lret = (s64)v.d;
	return VT_FAULT_NONE;
}

enum vt_fault vt_helper_user_long(struct vt_call *call)
{
	return user_number(call, 8);
}

enum vt_fault vt_helper_user_int(struct vt_call *call)
{
	return user_number(call, 4);
}

enum vt_fault vt_helper_user_short(struct vt_call *call)
{
	return user_number(call, 2);
}

enum vt_fault vt_helper_user_char(struct vt_call *call)
{
	return user_number(call, 1);
}

/* ------------------------------------------------ strings */

/*
 * The string at @addr, at most @max bytes (clamped to strsize - 1), into
 * the destination slot, NUL-terminated.  0, or -1 with the slot "" if a
 * byte before the NUL (or the limit) is unreadable.
 */
static int read_string(struct vt_call *call, u64 addr, s64 max, bool user)
{
	char *out = call->sret;
	u32 cap = call->strsize - 1, i = 0, n, k;

	if (max < 0)
		max = 0;
	if (max < cap)
		cap = (u32)max;
	while (i < cap) {
		n = VT_READ_CHUNK - (u32)((addr + i) % VT_READ_CHUNK);
		if (n > cap - i)
			n = cap - i;
		call->work += VT_COST_BYTES;	/* a unit per chunk read */
		if (vt_host_read(call->ex->host, out + i, addr + i, n, user)) {
			out[0] = '\0';
			return -1;
		}
		for (k = 0; k < n; k++)
			if (!out[i + k])
				return 0;
		i += n;
	}
	out[i] = '\0';
	return 0;
}

/* The string, or fault READ with the address. */
static enum vt_fault string_or_fault(struct vt_call *call, s64 max, bool user)
{
	if (!read_string(call, addr_arg(call), max, user))
		return VT_FAULT_NONE;
	call->detail = (s64)addr_arg(call);
	return VT_FAULT_READ;
}

/* The string, or the first string argument (err_msg). */
static enum vt_fault string_or_msg(struct vt_call *call, s64 max, bool user)
{
	const char *msg = call->sargs;
	u32 i;

	if (!read_string(call, addr_arg(call), max, user))
		return VT_FAULT_NONE;
	for (i = 0; i + 1 < call->strsize && msg[i]; i++)
		call->sret[i] = msg[i];
	call->sret[i] = '\0';
	call->work += i;
	return VT_FAULT_NONE;
}

enum vt_fault vt_helper_kernel_string(struct vt_call *call)
{
	return string_or_fault(call, call->strsize, false);
}

enum vt_fault vt_helper_kernel_string2(struct vt_call *call)
{
	return string_or_msg(call, call->strsize, false);
}

/* kernel_string_n(addr, n): at most n bytes; n <= 0 reads nothing. */
enum vt_fault vt_helper_kernel_string_n(struct vt_call *call)
{
	return string_or_fault(call, call->largs[1], false);
}

enum vt_fault vt_helper_user_string(struct vt_call *call)
{
	return string_or_fault(call, call->strsize, true);
}

enum vt_fault vt_helper_user_string2(struct vt_call *call)
{
	return string_or_msg(call, call->strsize, true);
}

enum vt_fault vt_helper_user_string_n(struct vt_call *call)
{
	return string_or_fault(call, call->largs[1], true);
}

enum vt_fault vt_helper_user_string_n2(struct vt_call *call)
{
	return string_or_msg(call, call->largs[1], true);
}

/* ------------------------------------------------ quoted */

/* The letter of a one-letter escape of @c, or 0. */
static char escape_letter(u8 c)
{
	static const char from[] = "\a\b\f\n\r\t\v\"\\";
	static const char to[] = "abfnrtv\"\\";
	u32 k;

	for (k = 0; from[k]; k++)
		if ((u8)from[k] == c)
			return to[k];
	return 0;
}

/* Bytes string_quoted writes for @c: itself, \x or \ooo. */
static u32 escape_width(u8 c)
{
	if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
		return 1;
	return escape_letter(c) ? 2 : 4;
}

static void escape_put(char *p, u8 c, u32 w)
{
	if (w == 1) {
		p[0] = (char)c;
	} else if (w == 2) {
		p[0] = '\\';
		p[1] = escape_letter(c);
	} else {
		p[0] = '\\';
		p[1] = (char)('0' + ((c >> 6) & 3));
		p[2] = (char)('0' + ((c >> 3) & 7));
		p[3] = (char)('0' + (c & 7));
	}
}

/*
 * string_quoted() of the destination slot, in place (vm/ has no other
 * buffer): the same output as strfuncs.c's, "..." with escapes, a cut
 * string ending in "...  A first pass counts the bytes that fit; the
 * second writes them last to first.  Byte j's escape starts at 1 + the
 * widths of bytes 0..j-1 >= j + 1, so no byte is overwritten before it is
 * read.
 */
static void quote_in_place(struct vt_call *call)
{
	char *s = call->sret;
	u32 cap = call->strsize - 1, n = vt_strnlen(s, cap);
	u32 room = cap - 2, used = 0, i, j, pos, w;

	for (i = 0; i < n; i++) {
		w = escape_width((u8)s[i]);
		if (w > room - used)
			break;
		used += w;
	}
	pos = 1 + used;
	for (j = i; j-- > 0;) {
		u8 c = (u8)s[j];

		w = escape_width(c);
		pos -= w;
		escape_put(s + pos, c, w);
	}
	s[0] = '"';
	pos = 1 + used;
	if (i < n) {
		pos = pos - 3 + (room - used);
		memcpy(s + pos, "\"...", 4);
		pos += 4;
	} else {
		s[pos++] = '"';
	}
	s[pos] = '\0';
	/* measured; two passes over the bytes kept, each a table scan */
	call->work += n + 4 * i * VT_COST_STEP;
}

/* The address as "0x%x" formats it (two's complement for "negative"). */
static void address_text(struct vt_call *call)
{
	const struct vt_fmt_arg arg = VT_L(addr_arg(call));

	vt_format(call->sret, call->strsize, "0x%x", "l", &arg, 1);
}

/* kernel_string_quoted: address 0 is not read. */
enum vt_fault vt_helper_kernel_string_quoted(struct vt_call *call)
{
	if (addr_arg(call) && !read_string(call, addr_arg(call),
					   call->strsize, false))
		quote_in_place(call);
	else
		address_text(call);
	return VT_FAULT_NONE;
}

enum vt_fault vt_helper_user_string_quoted(struct vt_call *call)
{
	if (!read_string(call, addr_arg(call), call->strsize, true))
		quote_in_place(call);
	else
		address_text(call);
	return VT_FAULT_NONE;
}
