// SPDX-License-Identifier: GPL-2.0-only
/* lexer.c - script text to tokens. */
#include <ctype.h>
#include <string.h>
#include <stdio.h>

#include "lexer.h"

static const char *const tok_text[] = {
#define VTC_TOK_TEXT(name, text) text,
	VTC_TOKENS(VTC_TOK_TEXT)
#undef VTC_TOK_TEXT
};

const char *token_text(int kind)
{
	static char one[128][2];

	if (kind > T_FIRST_ && kind < T_COUNT_)
		return tok_text[kind - T_FIRST_ - 1];
	if (kind > 0 && kind < 128) {
		one[kind][0] = (char)kind;
		return one[kind];
	}
	return "?";
}

const char *token_name(int kind, char *buf, size_t size)
{
	if (kind == T_EOF || (kind >= T_NUMBER && kind <= T_AT_IDENT))
		snprintf(buf, size, "%s", token_text(kind));
	else
		snprintf(buf, size, "'%s'", token_text(kind));
	return buf;
}

void lexer_init(struct lexer *lx, struct diag *d, struct arena *a,
		const char *src, uint16_t file)
{
	memset(lx, 0, sizeof(*lx));
	lx->diag = d;
	lx->arena = a;
	lx->src = lx->p = src;
	lx->file = file;
	lx->loc = (struct vtc_loc){ .line = 1, .col = 1, .file = file };
	lx->end = lx->loc;
}

static void advance(struct lexer *lx)
{
	if (*lx->p == '\n') {
		lx->loc.line++;
		lx->loc.col = 1;
	} else {
		lx->loc.col++;
	}
	lx->p++;
}

static bool is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static bool is_ident_char(int c)
{
	return isalnum(c) || c == '_';
}

/* Skip blanks and comments; report an unterminated block comment. */
static void skip_space(struct lexer *lx)
{
	for (;;) {
		unsigned char c = (unsigned char)*lx->p;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || c == '\v') {
			advance(lx);
		} else if (c == '#' || (c == '/' && lx->p[1] == '/')) {
			while (*lx->p && *lx->p != '\n')
				advance(lx);
		} else if (c == '/' && lx->p[1] == '*') {
			struct vtc_loc at = lx->loc;

			advance(lx);
			advance(lx);
			while (*lx->p && !(*lx->p == '*' && lx->p[1] == '/'))
				advance(lx);
			if (!*lx->p) {
				diag_error(lx->diag, at,
					   "unterminated comment");
				return;
			}
			advance(lx);
			advance(lx);
		} else {
			return;
		}
	}
}

static const struct { const char *word; int kind; } keywords[] = {
	{ "probe", T_PROBE }, { "global", T_GLOBAL },
	{ "function", T_FUNCTION }, { "if", T_IF }, { "else", T_ELSE },
	{ "while", T_WHILE }, { "for", T_FOR }, { "break", T_BREAK },
	{ "continue", T_CONTINUE }, { "next", T_NEXT },
	{ "return", T_RETURN }, { "delete", T_DELETE }, { "in", T_IN },
	{ "foreach", T_FOREACH }, { "try", T_TRY }, { "catch", T_CATCH },
	{ "private", T_PRIVATE },
};

static int keyword(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strlen(keywords[i].word) == n &&
		    !memcmp(keywords[i].word, s, n))
			return keywords[i].kind;
	return T_IDENT;
}

static int digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* Decimal, 0x hex or 0 octal; values up to 2^64-1 wrap to int64. */
static void lex_number(struct lexer *lx, struct token *t)
{
	unsigned base = 10;
	uint64_t v = 0;
	bool overflow = false, digits = false;

	if (*lx->p == '0' && (lx->p[1] == 'x' || lx->p[1] == 'X')) {
		base = 16;
		advance(lx);
		advance(lx);
	} else if (*lx->p == '0') {
		base = 8;
	}
	while (is_ident_char((unsigned char)*lx->p)) {
		unsigned d = (unsigned)digit_value((unsigned char)*lx->p);

		if (d >= base) {
			diag_error(lx->diag, lx->loc,
				   "invalid digit '%c' in %s number", *lx->p,
				   base == 16 ? "hexadecimal" :
				   base == 8 ? "octal" : "decimal");
			while (is_ident_char((unsigned char)*lx->p))
				advance(lx);
			break;
		}
		if (v > (UINT64_MAX - d) / base)
			overflow = true;
		v = v * base + d;
		digits = true;
		advance(lx);
	}
	if (base == 16 && !digits)
		diag_error(lx->diag, t->loc,
			   "hexadecimal number has no digits");
	if (overflow)
		diag_error(lx->diag, t->loc, "number too large");
	t->kind = T_NUMBER;
	t->num = (int64_t)v;
}

/* One escape after the backslash; returns the byte, or -1 if invalid. */
static int lex_escape(struct lexer *lx, struct vtc_loc at)
{
	int c = (unsigned char)*lx->p, v = 0, n;

	switch (c) {
	case 'n': advance(lx); return '\n';
	case 't': advance(lx); return '\t';
	case 'r': advance(lx); return '\r';
	case 'a': advance(lx); return '\a';
	case 'b': advance(lx); return '\b';
	case 'f': advance(lx); return '\f';
	case 'v': advance(lx); return '\v';
	case '\\': case '"': case '\'': advance(lx); return c;
	case 'x':
		advance(lx);
		for (n = 0; n < 2 && isxdigit((unsigned char)*lx->p); n++) {
			v = v * 16 + digit_value((unsigned char)*lx->p);
			advance(lx);
		}
		if (!n) {
			diag_error(lx->diag, at, "\\x used with no hex digits");
			return -1;
		}
		return v;
	default:
		if (c >= '0' && c <= '7') {
			for (n = 0; n < 3 && *lx->p >= '0' && *lx->p <= '7';
			     n++) {
				v = v * 8 + (*lx->p - '0');
				advance(lx);
			}
			if (v > 255) {
				diag_error(lx->diag, at,
					   "octal escape out of range");
				return -1;
			}
			return v;
		}
		diag_error(lx->diag, at, "unknown escape sequence '\\%c'",
			   isprint(c) ? c : '?');
		if (c)
			advance(lx);
		return -1;
	}
}

static void lex_string(struct lexer *lx, struct token *t)
{
	const char *scan = lx->p + 1;
	size_t cap = 1;
	char *buf;
	size_t n = 0;

	/* An upper bound on the unescaped length. */
	while (*scan && *scan != '"' && *scan != '\n') {
		if (*scan == '\\' && scan[1])
			scan++;
		scan++;
		cap++;
	}
	buf = arena_alloc(lx->arena, cap);
	advance(lx);
	for (;;) {
		int c = (unsigned char)*lx->p;
		struct vtc_loc at = lx->loc;

		if (!c || c == '\n') {
			diag_error(lx->diag, t->loc,
				   "unterminated string literal");
			break;
		}
		advance(lx);
		if (c == '"')
			break;
		if (c == '\\') {
			c = lex_escape(lx, at);
			if (c < 0)
				continue;
			if (c == 0) {
				diag_error(lx->diag, t->loc,
					   "string literal contains a NUL "
					   "byte");
				continue;
			}
		}
		if (n + 1 < cap)
			buf[n++] = (char)c;
	}
	buf[n] = 0;
	t->kind = T_STRING;
	t->str = buf;
}

/* $N, @N, $name, @name. */
static void lex_sigil(struct lexer *lx, struct token *t)
{
	int sigil = *lx->p;

	advance(lx);
	if (isdigit((unsigned char)*lx->p)) {
		int64_t v = 0;

		while (isdigit((unsigned char)*lx->p)) {
			if (v < 1000000)
				v = v * 10 + (*lx->p - '0');
			advance(lx);
		}
		t->kind = sigil == '$' ? T_DOLLAR_NUM : T_AT_NUM;
		t->num = v;
	} else if (is_ident_start((unsigned char)*lx->p)) {
		const char *s = lx->p;

		while (is_ident_char((unsigned char)*lx->p))
			advance(lx);
		t->kind = sigil == '$' ? T_DOLLAR_IDENT : T_AT_IDENT;
		t->str = arena_strndup(lx->arena, s, (size_t)(lx->p - s));
	} else if (sigil == '$' && *lx->p == '$' &&
		   is_ident_start((unsigned char)lx->p[1])) {
		/* $$name ($$parms, $$vars): str "$name" */
		const char *s = lx->p;

		advance(lx);
		while (is_ident_char((unsigned char)*lx->p))
			advance(lx);
		t->kind = T_DOLLAR_IDENT;
		t->str = arena_strndup(lx->arena, s, (size_t)(lx->p - s));
	} else if (*lx->p == '#') {
		/* $# and @#: the number of arguments (num -1) */
		advance(lx);
		t->kind = sigil == '$' ? T_DOLLAR_NUM : T_AT_NUM;
		t->num = -1;
	} else {
		t->kind = sigil;
	}
}

/* Operators, longest match first. */
static const struct { const char *text; int kind; } ops[] = {
	{ "<<<", T_AGG }, { "<<=", T_SHL_ASSIGN }, { ">>=", T_SHR_ASSIGN },
	{ "+=", T_ADD_ASSIGN }, { "-=", T_SUB_ASSIGN },
	{ "*=", T_MUL_ASSIGN }, { "/=", T_DIV_ASSIGN },
	{ "%=", T_MOD_ASSIGN }, { "&=", T_AND_ASSIGN },
	{ "^=", T_XOR_ASSIGN }, { "|=", T_OR_ASSIGN },
	{ ".=", T_CAT_ASSIGN }, { "++", T_INC }, { "--", T_DEC },
	{ "&&", T_ANDAND }, { "||", T_OROR }, { "==", T_EQ },
	{ "!=", T_NE }, { "<=", T_LE }, { ">=", T_GE }, { "<<", T_SHL },
	{ ">>", T_SHR }, { "=~", T_MATCH }, { "!~", T_NOMATCH },
	{ "->", T_ARROW }, { "::", T_SCOPE }, { "%(", T_PP_OPEN },
	{ "%?", T_PP_THEN }, { "%:", T_PP_ELSE }, { "%)", T_PP_CLOSE },
};

void lexer_next(struct lexer *lx, struct token *t)
{
	int c;

again:
	skip_space(lx);
	memset(t, 0, sizeof(*t));
	t->loc = lx->loc;
	t->start = lx->p;
	if (lx->diag->stopped) {
		t->kind = T_EOF;
		return;
	}
	c = (unsigned char)*lx->p;
	if (!c) {
		t->kind = T_EOF;
		t->loc = lx->end;
	} else if (is_ident_start(c)) {
		while (is_ident_char((unsigned char)*lx->p))
			advance(lx);
		t->kind = keyword(t->start, (size_t)(lx->p - t->start));
		if (t->kind == T_IDENT)
			t->str = arena_strndup(lx->arena, t->start,
					       (size_t)(lx->p - t->start));
	} else if (isdigit(c)) {
		lex_number(lx, t);
	} else if (c == '"') {
		lex_string(lx, t);
	} else if (c == '$' || c == '@') {
		lex_sigil(lx, t);
	} else {
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			size_t n = strlen(ops[i].text);

			if (!strncmp(lx->p, ops[i].text, n)) {
				for (size_t j = 0; j < n; j++)
					advance(lx);
				t->kind = ops[i].kind;
				goto done;
			}
		}
		if (strchr("+-*/%<>=!~&|^.?:,;(){}[]", c)) {
			advance(lx);
			t->kind = c;
		} else {
			diag_error(lx->diag, lx->loc,
				   isprint(c) ? "unexpected character '%c'" :
				   "unexpected character (byte 0x%02x)", c);
			advance(lx);
			goto again;
		}
	}
done:
	t->len = (size_t)(lx->p - t->start);
	if (t->kind != T_EOF)
		lx->end = lx->loc;
}
