// SPDX-License-Identifier: GPL-2.0-only
/*
 * format.c - SystemTap printf formatting without libc.
 *
 * Conversions: %d %i (signed), %u %x %X %o (unsigned 64-bit), %p (as %#x,
 * like SystemTap since 1.3), %c, %s, %b (the raw bytes of the value),
 * %m / %M (raw / hex bytes of memory: here the bytes of the argument,
 * since the caller has no access to the traced memory), %%.  Flags
 * - + space # 0, a width, a precision, and '*' for either (taken from a
 * long argument).  An unknown conversion is copied literally.
 *
 * Invariants: never writes more than @size bytes (output plus NUL);
 * vt_format() returns the length the whole output would have (saturating
 * at U32_MAX); an argument missing or of the wrong kind reads as 0 or "".
 * Widths and precisions are clamped to VT_FMT_FIELD_MAX, a %m / %M
 * precision to the argument's size (8 bytes for a long, its length for a
 * string).  Work is bounded by the format's text and the output buffer,
 * not by widths or precisions: once the buffer is full every loop stops
 * writing and what it would have written is added to the length
 * arithmetically; vt_format_frame() (the VM's sprintf, which needs no
 * length) stops reading the format there too, and returns the work done
 * (vt_isa.h's cost rule: VT_COST_STEP per byte of text parsed, the
 * string arguments measured, the output written).
 */
#include "vt_priv.h"

#define VT_FMT_FIELD_MAX	65536
#define VT_LEN_MAX		0xffffffffu

enum {
	F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16,
};

struct vt_out {
	char *buf;
	u32 size;		/* bytes available, NUL included */
	u32 len;		/* full length so far */
	u32 work;		/* bytes of text and arguments read, and output
				 * written (the VM charges it) */
};

static inline bool out_full(const struct vt_out *o)
{
	return o->len >= o->size - 1;
}

/* Count @n more bytes of output without writing them (saturating). */
static void out_skip(struct vt_out *o, u64 n)
{
	o->len = n > VT_LEN_MAX - o->len ? VT_LEN_MAX : o->len + (u32)n;
}

struct vt_argv {
	const char *sig;
	const struct vt_fmt_arg *args;
	u32 nargs;		/* min(nargs, strlen(sig)) */
	u32 next;
	/* Or, when regs is set, the arguments are in a VM frame. */
	const s64 *regs;	/* the 'l' arguments, consecutive */
	const char *slots;	/* the 's' arguments, strsize apart */
	u32 strsize;
	struct vt_fmt_arg cur;	/* the frame argument last fetched */
	u32 work;		/* signature and string bytes read fetching them */
};

/* Argument @i (< nargs): from the array, or fetched from the frame. */
static const struct vt_fmt_arg *arg_at(struct vt_argv *av, u32 i)
{
	u32 j, n = 0;

	if (!av->regs)
		return &av->args[i];
	for (j = 0; j < i; j++)
		n += av->sig[j] == av->sig[i];
	av->work += i;
	if (av->sig[i] == 'l') {
		av->cur.l = av->regs[n];
		av->cur.s = 0;
		av->cur.slen = 0;
	} else {
		av->cur.l = 0;
		av->cur.s = av->slots + n * av->strsize;
		av->cur.slen = vt_strnlen(av->cur.s, av->strsize - 1);
		av->work += av->cur.slen;
	}
	return &av->cur;
}

struct vt_spec {
	u32 flags;
	s32 width;		/* -1: none */
	s32 prec;		/* -1: none */
	char conv;
};

u32 vt_strnlen(const char *s, u32 max)
{
	u32 n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

static void out_put(struct vt_out *o, const char *src, u32 n)
{
	u32 i;

	for (i = 0; i < n && !out_full(o); i++)
		o->buf[o->len++] = src[i];
	o->work += i;
	out_skip(o, n - i);
}

static void out_char(struct vt_out *o, char c)
{
	out_put(o, &c, 1);
}

static void out_fill(struct vt_out *o, char c, s64 n)
{
	u32 i;

	if (n <= 0)
		return;
	for (i = 0; i < n && !out_full(o); i++)
		o->buf[o->len++] = c;
	o->work += i;
	out_skip(o, (u64)(n - i));
}

static s64 arg_long(struct vt_argv *av)
{
	u32 i = av->next++;

	if (i < av->nargs && av->sig[i] == 'l')
		return arg_at(av, i)->l;
	return 0;
}

/*
 * The bytes of the next argument: a string's, or a long's in host order;
 * a missing argument (or one of neither kind) reads as the long 0.
 */
static const char *arg_bytes(struct vt_argv *av, u32 *len, u8 tmp[8])
{
	u32 i = av->next++;
	const struct vt_fmt_arg *a = NULL;

	if (i < av->nargs)
		a = arg_at(av, i);
	if (a && av->sig[i] == 's' && a->s) {
		*len = a->slen;
		return a->s;
	}
	memset(tmp, 0, 8);
	if (a && av->sig[i] == 'l')
		memcpy(tmp, &a->l, 8);
	*len = 8;
	return (const char *)tmp;
}

static const char *arg_str(struct vt_argv *av, u32 *len)
{
	u32 i = av->next++;
	const struct vt_fmt_arg *a;

	*len = 0;
	if (i >= av->nargs || av->sig[i] != 's')
		return "";
	a = arg_at(av, i);
	if (!a->s)
		return "";
	/* A frame's slen is the length; an array's, the bytes there. */
	*len = av->regs ? a->slen : vt_strnlen(a->s, a->slen);
	return a->s;
}

static s32 clamp_field(s64 v)
{
	if (v < 0)
		return 0;
	return v > VT_FMT_FIELD_MAX ? VT_FMT_FIELD_MAX : (s32)v;
}

static void fmt_number(struct vt_out *o, const struct vt_spec *sp, u64 num,
		       bool is_signed)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";
	const char *digits = sp->conv == 'X' ? upper : lower;
	u32 base = 10, ndig = 0, total;
	char tmp[24], sign = 0;
	const char *prefix = "";
	s32 prec = sp->prec;

	if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
		base = 16;
	else if (sp->conv == 'o')
		base = 8;
	if (is_signed) {
		if ((s64)num < 0) {
			sign = '-';
			num = 0 - num;
		} else if (sp->flags & F_PLUS) {
			sign = '+';
		} else if (sp->flags & F_SPACE) {
			sign = ' ';
		}
	}
	if ((sp->flags & F_ALT) && base == 16)
		prefix = sp->conv == 'X' ? "0X" : "0x";
	else if ((sp->flags & F_ALT) && base == 8)
		prefix = "0";
	do {
		tmp[ndig++] = digits[num % base];
		num /= base;
	} while (num);
	if (prec < (s32)ndig)
		prec = ndig;
	total = (sign ? 1 : 0) + vt_strnlen(prefix, 2) + (u32)prec;
	if (!(sp->flags & (F_LEFT | F_ZERO)))
		out_fill(o, ' ', (s64)sp->width - total);
	if (sign)
		out_char(o, sign);
	out_put(o, prefix, vt_strnlen(prefix, 2));
	if ((sp->flags & (F_LEFT | F_ZERO)) == F_ZERO)
		out_fill(o, '0', (s64)sp->width - total);
	out_fill(o, '0', (s64)prec - ndig);
	while (ndig)
		out_char(o, tmp[--ndig]);
	if (sp->flags & F_LEFT)
		out_fill(o, ' ', (s64)sp->width - total);
}

/* %c; with '#', a C escape for unprintable characters. */
static void fmt_char(struct vt_out *o, const struct vt_spec *sp, u8 c)
{
	static const char esc_from[] = "\a\b\f\n\r\t\v'\\";
	static const char esc_to[] = "abfnrtv'\\";
	char tmp[4];
	u32 n = 0, i;

	if ((sp->flags & F_ALT) && (c < 0x20 || c >= 0x7f || c == '\'' ||
				    c == '\\')) {
		tmp[n++] = '\\';
		for (i = 0; i < sizeof(esc_to) - 1; i++)
			if (esc_from[i] == (char)c)
				break;
		if (i < sizeof(esc_to) - 1) {
			tmp[n++] = esc_to[i];
		} else {
			tmp[n++] = (char)('0' + ((c >> 6) & 3));
			tmp[n++] = (char)('0' + ((c >> 3) & 7));
			tmp[n++] = (char)('0' + (c & 7));
		}
	} else {
		tmp[n++] = (char)c;
	}
	if (!(sp->flags & F_LEFT))
		out_fill(o, ' ', (s64)sp->width - n);
	out_put(o, tmp, n);
	if (sp->flags & F_LEFT)
		out_fill(o, ' ', (s64)sp->width - n);
}

/*
 * %s, %m and %M: the @len bytes of @s (%M: two hex digits each), padded.
 * Bytes that no longer fit are counted, not walked.
 */
static void fmt_bytes(struct vt_out *o, const struct vt_spec *sp,
		      const char *s, u32 len)
{
	static const char hex[] = "0123456789abcdef";
	u32 per = sp->conv == 'M' ? 2 : 1, i;
	u8 c;

	if (!(sp->flags & F_LEFT))
		out_fill(o, ' ', (s64)sp->width - (s64)len * per);
	if (sp->conv != 'M') {
		out_put(o, s, len);
	} else {
		for (i = 0; i < len && !out_full(o); i++) {
			c = (u8)s[i];
			out_char(o, hex[c >> 4]);
			out_char(o, hex[c & 15]);
		}
		out_skip(o, (u64)(len - i) * 2);
	}
	if (sp->flags & F_LEFT)
		out_fill(o, ' ', (s64)sp->width - (s64)len * per);
}

/*
 * %b: the value's low 1, 2, 4 or 8 bytes in host order, NUL-padded.  The
 * precision picks the size; a missing width defaults to it and a missing
 * precision is taken from the width when that is a valid size (else 8).
 */
static void fmt_binary(struct vt_out *o, const struct vt_spec *sp, s64 v)
{
	s32 prec = sp->prec, width = sp->width;
	u8 b1 = (u8)v;
	u16 b2 = (u16)v;
	u32 b4 = (u32)v;
	u64 b8 = (u64)v;
	char tmp[8];

	if (prec != 1 && prec != 2 && prec != 4 && prec != 8)
		prec = -1;
	if (width < 0) {
		prec = prec < 0 ? 8 : prec;
		width = prec;
	} else if (prec < 0) {
		prec = (width == 1 || width == 2 || width == 4) ? width : 8;
	}
	if (prec == 1)
		memcpy(tmp, &b1, 1);
	else if (prec == 2)
		memcpy(tmp, &b2, 2);
	else if (prec == 4)
		memcpy(tmp, &b4, 4);
	else
		memcpy(tmp, &b8, 8);
	if (!(sp->flags & F_LEFT))
		out_fill(o, '\0', (s64)width - prec);
	out_put(o, tmp, (u32)prec);
	if (sp->flags & F_LEFT)
		out_fill(o, '\0', (s64)width - prec);
}

/* Parse the flags, width and precision after '%'; returns the next char. */
static const char *parse_spec(const char *f, struct vt_spec *sp,
			      struct vt_argv *av)
{
	s64 v;

	sp->flags = 0;
	for (;; f++) {
		if (*f == '-')
			sp->flags |= F_LEFT;
		else if (*f == '+')
			sp->flags |= F_PLUS;
		else if (*f == ' ')
			sp->flags |= F_SPACE;
		else if (*f == '#')
			sp->flags |= F_ALT;
		else if (*f == '0')
			sp->flags |= F_ZERO;
		else
			break;
	}
	sp->width = -1;
	if (*f == '*') {
		f++;
		v = arg_long(av);
		if (v < 0) {
			sp->flags |= F_LEFT;
			v = v < -VT_FMT_FIELD_MAX ? VT_FMT_FIELD_MAX : -v;
		}
		sp->width = clamp_field(v);
	} else if (*f >= '0' && *f <= '9') {
		for (v = 0; *f >= '0' && *f <= '9'; f++)
			v = clamp_field(v * 10 + (*f - '0'));
		sp->width = (s32)v;
	}
	sp->prec = -1;
	if (*f == '.') {
		f++;
		v = 0;
		if (*f == '*') {
			f++;
			v = arg_long(av);
		} else {
			for (; *f >= '0' && *f <= '9'; f++)
				v = clamp_field(v * 10 + (*f - '0'));
		}
		sp->prec = clamp_field(v);
	}
	while (*f == 'h' || *f == 'l' || *f == 'L' || *f == 'z' || *f == 'j')
		f++;	/* size qualifiers: every value is 64-bit */
	sp->conv = *f;
	return f;
}

/* Format one conversion; returns false for an unknown one. */
static bool fmt_conv(struct vt_out *o, const struct vt_spec *sp,
		     struct vt_argv *av)
{
	struct vt_spec num = *sp;
	const char *s;
	u8 tmp[8];
	u32 len;

	switch (sp->conv) {
	case 'd':
	case 'i':
		fmt_number(o, sp, (u64)arg_long(av), true);
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		fmt_number(o, sp, (u64)arg_long(av), false);
		break;
	case 'p':
		num.flags |= F_ALT;
		fmt_number(o, &num, (u64)arg_long(av), false);
		break;
	case 'c':
		fmt_char(o, sp, (u8)arg_long(av));
		break;
	case 's':
		s = arg_str(av, &len);
		if (sp->prec >= 0 && (u32)sp->prec < len)
			len = (u32)sp->prec;
		fmt_bytes(o, sp, s, len);
		break;
	case 'm':
	case 'M':
		/* Precision bytes (default 1), at most the argument's. */
		s = arg_bytes(av, &len, tmp);
		if (sp->prec <= 0)
			len = len ? 1 : 0;
		else if ((u32)sp->prec < len)
			len = (u32)sp->prec;
		fmt_bytes(o, sp, s, len);
		break;
	case 'b':
		fmt_binary(o, sp, arg_long(av));
		break;
	case '%':
		out_char(o, '%');
		break;
	default:
		return false;
	}
	return true;
}

/*
 * Format @fmt into @o.  With @stop, return as soon as the output is full
 * (the length is then not needed: the VM's sprintf); else go on counting
 * the length.  Either way the work is linear in the format's text and the
 * output written.
 */
static void format_av(struct vt_out *o, const char *fmt, struct vt_argv *av,
		      bool stop)
{
	const char *text = fmt ? fmt : "";
	const char *start;
	struct vt_spec sp;

	fmt = text;
	while (*fmt && !(stop && out_full(o))) {
		if (*fmt != '%') {
			out_char(o, *fmt++);
			continue;
		}
		start = fmt;
		fmt = parse_spec(fmt + 1, &sp, av);
		if (!*fmt) {		/* a dangling '%...' at the end */
			out_put(o, start, (u32)(fmt - start));
			break;
		}
		fmt++;
		if (!fmt_conv(o, &sp, av))
			out_put(o, start, (u32)(fmt - start));
	}
	o->buf[o->len < o->size - 1 ? o->len : o->size - 1] = '\0';
	o->work += (u32)(fmt - text) * VT_COST_STEP + av->work;
}

u32 vt_format(char *out, u32 size, const char *fmt, const char *sig,
	      const struct vt_fmt_arg *args, u32 nargs)
{
	struct vt_argv av = { .sig = sig ? sig : "", .args = args };
	char none[1];
	struct vt_out o = { .buf = size ? out : none, .size = size ? size : 1 };

	av.nargs = args ? vt_strnlen(av.sig, nargs) : 0;
	format_av(&o, fmt, &av, false);
	return o.len;
}

u32 vt_format_frame(char *out, u32 size, const char *fmt, const char *sig,
		    const s64 *regs, const char *slots, u32 strsize)
{
	struct vt_argv av = {
		.sig = sig, .regs = regs, .slots = slots, .strsize = strsize,
	};
	struct vt_out o = { .buf = out, .size = size };

	av.nargs = vt_strnlen(sig, VT_FORMAT_ARGS_MAX);
	format_av(&o, fmt, &av, true);
	return o.work;
}
