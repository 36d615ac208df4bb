/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lexer.h - tokens of SystemTap's script language.
 *
 * Single-character tokens are their character; everything else is a
 * T_* value >= 256.  The lexer never fails: a bad character or literal is
 * reported through diag and skipped.  Once diag has stopped, it returns
 * T_EOF so every loop in the parser ends.
 */
#ifndef VTC_LEXER_H
#define VTC_LEXER_H

#include <stdint.h>

#include "ast.h"
#include "diag.h"

#define VTC_TOKENS(X)					\
	X(T_EOF, "end of input")			\
	X(T_NUMBER, "number")				\
	X(T_STRING, "string")				\
	X(T_IDENT, "identifier")			\
	X(T_DOLLAR_NUM, "$N")				\
	X(T_AT_NUM, "@N")				\
	X(T_DOLLAR_IDENT, "$name")			\
	X(T_AT_IDENT, "@name")				\
	/* keywords */					\
	X(T_PROBE, "probe")				\
	X(T_GLOBAL, "global")				\
	X(T_FUNCTION, "function")			\
	X(T_IF, "if")					\
	X(T_ELSE, "else")				\
	X(T_WHILE, "while")				\
	X(T_FOR, "for")					\
	X(T_BREAK, "break")				\
	X(T_CONTINUE, "continue")			\
	X(T_NEXT, "next")				\
	X(T_RETURN, "return")				\
	X(T_DELETE, "delete")				\
	X(T_IN, "in")					\
	X(T_FOREACH, "foreach")				\
	X(T_TRY, "try")					\
	X(T_CATCH, "catch")				\
	X(T_PRIVATE, "private")				\
	/* multi-character operators */		\
	X(T_ADD_ASSIGN, "+=")				\
	X(T_SUB_ASSIGN, "-=")				\
	X(T_MUL_ASSIGN, "*=")				\
	X(T_DIV_ASSIGN, "/=")				\
	X(T_MOD_ASSIGN, "%=")				\
	X(T_SHL_ASSIGN, "<<=")				\
	X(T_SHR_ASSIGN, ">>=")				\
	X(T_AND_ASSIGN, "&=")				\
	X(T_XOR_ASSIGN, "^=")				\
	X(T_OR_ASSIGN, "|=")				\
	X(T_CAT_ASSIGN, ".=")				\
	X(T_INC, "++")					\
	X(T_DEC, "--")					\
	X(T_ANDAND, "&&")				\
	X(T_OROR, "||")					\
	X(T_EQ, "==")					\
	X(T_NE, "!=")					\
	X(T_LE, "<=")					\
	X(T_GE, ">=")					\
	X(T_SHL, "<<")					\
	X(T_SHR, ">>")					\
	X(T_AGG, "<<<")					\
	X(T_MATCH, "=~")				\
	X(T_NOMATCH, "!~")				\
	X(T_ARROW, "->")				\
	X(T_SCOPE, "::")				\
	X(T_PP_OPEN, "%(")				\
	X(T_PP_THEN, "%?")				\
	X(T_PP_ELSE, "%:")				\
	X(T_PP_CLOSE, "%)")

enum token_kind {
	T_FIRST_ = 255,
#define VTC_TOK_ENUM(name, text) name,
	VTC_TOKENS(VTC_TOK_ENUM)
#undef VTC_TOK_ENUM
	T_COUNT_
};

struct token {
	int kind;
	struct vtc_loc loc;
	const char *start;	/* raw text in the source */
	size_t len;
	int64_t num;		/* T_NUMBER, T_DOLLAR_NUM, T_AT_NUM */
	const char *str;	/* T_STRING (unescaped), names: arena copies */
};

struct lexer {
	struct diag *diag;
	struct arena *arena;
	const char *src, *p;
	struct vtc_loc loc;	/* of *p */
	struct vtc_loc end;	/* just after the last token: where EOF is
				 * reported, so the caret lands on a line */
	uint16_t file;
};

void lexer_init(struct lexer *lx, struct diag *d, struct arena *a,
		const char *src, uint16_t file);
void lexer_next(struct lexer *lx, struct token *t);
/* "';'", "'probe'", "identifier": for messages. */
const char *token_name(int kind, char *buf, size_t size);
/* The spelling of an operator or keyword token (no quotes). */
const char *token_text(int kind);

#endif /* VTC_LEXER_H */
