// SPDX-License-Identifier: GPL-2.0-only
/* format.c - printf format strings to argument signatures. */
#include <stdio.h>
#include <string.h>

#include "format.h"

static int add(char *sig, size_t cap, size_t *n, char kind)
{
	if (*n + 1 >= cap)
		return -1;
	sig[(*n)++] = kind;
	sig[*n] = 0;
	return 0;
}

int format_signature(const char *fmt, char *sig, size_t cap, char *err,
		     size_t errcap, size_t *errpos)
{
	size_t n = 0;
	const char *p = fmt;

	if (cap)
		sig[0] = 0;
	while (*p) {
		const char *start = p;

		if (*p++ != '%')
			continue;
		if (*p == '%') {
			p++;
			continue;
		}
		while (*p && strchr("-+ #0", *p))
			p++;
		if (*p == '*') {
			p++;
			if (add(sig, cap, &n, 'l'))
				goto too_many;
		} else {
			while (*p >= '0' && *p <= '9')
				p++;
		}
		if (*p == '.') {
			p++;
			if (*p == '*') {
				p++;
				if (add(sig, cap, &n, 'l'))
					goto too_many;
			} else {
				while (*p >= '0' && *p <= '9')
					p++;
			}
		}
		if (!*p) {
			snprintf(err, errcap, "incomplete conversion at the "
				 "end of the format");
			*errpos = (size_t)(start - fmt);
			return -1;
		}
		if (strchr("diuxXocpbmM", *p)) {
			if (add(sig, cap, &n, 'l'))
				goto too_many;
		} else if (*p == 's') {
			if (add(sig, cap, &n, 's'))
				goto too_many;
		} else {
			unsigned char c = (unsigned char)*p;

			if (c >= 32 && c < 127)
				snprintf(err, errcap, "invalid conversion "
					 "'%%%c' in format", c);
			else
				snprintf(err, errcap, "invalid conversion "
					 "in format");
			*errpos = (size_t)(start - fmt);
			return -1;
		}
		p++;
	}
	return (int)n;
too_many:
	snprintf(err, errcap, "too many conversions in format (at most %zu)",
		 cap ? cap - 1 : 0);
	*errpos = 0;
	return -1;
}

static const char *skip_digits(const char *p)
{
	while (*p >= '0' && *p <= '9')
		p++;
	return p;
}

int format_arg_conv(const char *fmt, int arg)
{
	const char *p = fmt;
	int i = 0;

	while (*p) {
		if (*p++ != '%')
			continue;
		if (*p == '%') {
			p++;
			continue;
		}
		while (*p && strchr("-+ #0", *p))
			p++;
		if (*p == '*') {
			p++;
			i++;
		} else {
			p = skip_digits(p);
		}
		if (*p == '.' && *++p == '*') {
			p++;
			i++;
		} else {
			p = skip_digits(p);
		}
		if (!*p)
			return -1;
		if (i++ == arg)
			return (int)(p - fmt);
		p++;
	}
	return -1;
}
