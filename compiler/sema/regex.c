// SPDX-License-Identifier: GPL-2.0-only
/*
 * regex.c - see regex.h.  Recursive descent over the pattern builds a
 * Thompson NFA (each state: one symbol-set transition or up to two
 * epsilon edges); byte classes partition the 256 bytes by the sets the
 * pattern uses; the subset construction makes the DFA.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regex.h"

#define SYM_BOS 256
#define SYM_EOS 257
#define NSYM 258
#define MAX_REPEAT 32		/* {m,n}: m, n at most this */
#define MAX_DEPTH 64		/* nesting of groups */

typedef struct { uint64_t w[5]; } symset;	/* 258 symbols */

static void ss_add(symset *s, int c) { s->w[c >> 6] |= 1ull << (c & 63); }
static bool ss_has(const symset *s, int c)
{
	return s->w[c >> 6] >> (c & 63) & 1;
}

struct nstate {
	int sym;		/* index into sets, or -1: epsilon only */
	int out, out2;		/* -1 when absent */
};

struct rx {
	const char *re, *p;
	struct nstate st[REGEX_MAX_NFA];
	int nst;
	symset sets[REGEX_MAX_NFA];
	int nsets;
	char *err;
	size_t errsize;
	const char *errat;
	int depth;
};

/* A fragment: start state, and the dangling end state (epsilon out). */
struct frag {
	int start, end;
};

static int fail(struct rx *x, const char *msg)
{
	if (!x->errat) {
		snprintf(x->err, x->errsize, "%s", msg);
		x->errat = x->p;
	}
	return -1;
}

static int new_state(struct rx *x, int sym)
{
	if (x->nst >= REGEX_MAX_NFA)
		return fail(x, "regular expression too complex");
	x->st[x->nst] = (struct nstate){ sym, -1, -1 };
	return x->nst++;
}

static void edge(struct rx *x, int from, int to)
{
	if (x->st[from].out < 0)
		x->st[from].out = to;
	else
		x->st[from].out2 = to;
}

/* A fragment matching one symbol of @s. */
static int frag_set(struct rx *x, const symset *s, struct frag *f)
{
	int a, b;

	if (x->nsets >= REGEX_MAX_NFA)
		return fail(x, "regular expression too complex");
	x->sets[x->nsets] = *s;
	a = new_state(x, x->nsets++);
	b = new_state(x, -1);
	if (a < 0 || b < 0)
		return -1;
	edge(x, a, b);
	*f = (struct frag){ a, b };
	return 0;
}

static int frag_empty(struct rx *x, struct frag *f)
{
	int a = new_state(x, -1);

	if (a < 0)
		return -1;
	*f = (struct frag){ a, a };
	return 0;
}

/* Copy fragment @f, all of whose states are in [first, last). */
static int frag_copy(struct rx *x, const struct frag *f, int first, int last,
		     struct frag *out)
{
	int n = last - first, off = x->nst - first;

	if (x->nst + n > REGEX_MAX_NFA)
		return fail(x, "regular expression too complex");
	for (int i = 0; i < n; i++) {
		struct nstate s = x->st[first + i];

		if (s.out >= 0)
			s.out += off;
		if (s.out2 >= 0)
			s.out2 += off;
		x->st[x->nst + i] = s;
	}
	x->nst += n;
	*out = (struct frag){ f->start + off, f->end + off };
	return 0;
}

static int parse_alt(struct rx *x, struct frag *f);

static const struct { const char *name; const char *chars; } classes[] = {
	{ "digit", "0-9" }, { "alpha", "a-zA-Z" }, { "alnum", "a-zA-Z0-9" },
	{ "upper", "A-Z" }, { "lower", "a-z" }, { "space", " \t\n\r\f\v" },
	{ "xdigit", "0-9a-fA-F" }, { "punct", "!-/:-@[-`{-~" },
	{ "blank", " \t" }, { "print", " -~" }, { "graph", "!-~" },
	{ "cntrl", "\001-\037\177" },
};

static void add_range(symset *s, int lo, int hi)
{
	for (int c = lo; c <= hi; c++)
		ss_add(s, c);
}

/* A "a-zA-Z" style list into @s. */
static void add_spec(symset *s, const char *spec)
{
	for (; *spec; spec++) {
		if (spec[1] == '-' && spec[2]) {
			add_range(s, (unsigned char)spec[0],
				  (unsigned char)spec[2]);
			spec += 2;
		} else {
			ss_add(s, (unsigned char)*spec);
		}
	}
}

static int escape_char(int c)
{
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'f': return '\f';
	case 'v': return '\v';
	case 'a': return '\a';
	default: return c;
	}
}

static int parse_bracket(struct rx *x, symset *s)
{
	bool neg = false, first = true;
	symset in = { { 0 } };

	x->p++;		/* '[' */
	if (*x->p == '^') {
		neg = true;
		x->p++;
	}
	while (*x->p && (*x->p != ']' || first)) {
		int lo = (unsigned char)*x->p, hi;

		first = false;
		if (x->p[0] == '[' && x->p[1] == ':') {
			const char *end = strstr(x->p + 2, ":]");
			size_t i, n = end ? (size_t)(end - x->p - 2) : 0;

			for (i = 0; end && i < sizeof(classes) /
			     sizeof(classes[0]); i++)
				if (strlen(classes[i].name) == n &&
				    !strncmp(classes[i].name, x->p + 2, n))
					break;
			if (!end || i == sizeof(classes) / sizeof(classes[0]))
				return fail(x, "unknown character class");
			add_spec(&in, classes[i].chars);
			x->p = end + 2;
			continue;
		}
		if (lo == '\\' && x->p[1]) {
			x->p++;
			lo = escape_char((unsigned char)*x->p);
		}
		x->p++;
		hi = lo;
		if (x->p[0] == '-' && x->p[1] && x->p[1] != ']') {
			hi = (unsigned char)x->p[1];
			x->p += 2;
			if (hi == '\\' && *x->p) {
				hi = escape_char((unsigned char)*x->p);
				x->p++;
			}
			if (hi < lo)
				return fail(x, "bad range in brackets");
		}
		add_range(&in, lo, hi);
	}
	if (*x->p != ']')
		return fail(x, "unterminated '['");
	x->p++;
	for (int c = 1; c < 256; c++)
		if (ss_has(&in, c) != neg)
			ss_add(s, c);
	return 0;
}

static int parse_atom(struct rx *x, struct frag *f)
{
	symset s = { { 0 } };
	int c = (unsigned char)*x->p;

	switch (c) {
	case '(':
		if (++x->depth > MAX_DEPTH)
			return fail(x, "regular expression nested too deeply");
		x->p++;
		if (*x->p == ')') {
			if (frag_empty(x, f) < 0)
				return -1;
		} else if (parse_alt(x, f) < 0) {
			return -1;
		}
		if (*x->p != ')')
			return fail(x, "missing ')'");
		x->p++;
		x->depth--;
		return 0;
	case '[':
		if (parse_bracket(x, &s) < 0)
			return -1;
		return frag_set(x, &s, f);
	case '.':
		x->p++;
		add_range(&s, 1, 255);
		return frag_set(x, &s, f);
	case '^':
		x->p++;
		ss_add(&s, SYM_BOS);
		return frag_set(x, &s, f);
	case '$':
		x->p++;
		ss_add(&s, SYM_EOS);
		return frag_set(x, &s, f);
	case '\\':
		x->p++;
		if (!*x->p)
			return fail(x, "trailing '\\'");
		c = (unsigned char)*x->p;
		if (c == 'd' || c == 'w' || c == 's') {
			add_spec(&s, c == 'd' ? "0-9" : c == 's' ?
				 " \t\n\r\f\v" : "a-zA-Z0-9_");
		} else {
			ss_add(&s, escape_char(c));
		}
		x->p++;
		return frag_set(x, &s, f);
	case '*': case '+': case '?': case '{':
		return fail(x, "nothing to repeat");
	default:
		x->p++;
		ss_add(&s, c);
		return frag_set(x, &s, f);
	}
}

/* f? (in place): a new start with edges to f.start and a new end. */
static int make_optional(struct rx *x, struct frag *f)
{
	int a = new_state(x, -1), b = new_state(x, -1);

	if (a < 0 || b < 0)
		return -1;
	edge(x, a, f->start);
	edge(x, a, b);
	edge(x, f->end, b);
	*f = (struct frag){ a, b };
	return 0;
}

static int make_star(struct rx *x, struct frag *f)
{
	int a = new_state(x, -1);

	if (a < 0)
		return -1;
	edge(x, a, f->start);
	edge(x, f->end, a);
	*f = (struct frag){ a, a };
	return 0;
}

static int concat(struct rx *x, struct frag *a, const struct frag *b)
{
	edge(x, a->end, b->start);
	a->end = b->end;
	return 0;
}

static int parse_number(struct rx *x, int *v)
{
	if (*x->p < '0' || *x->p > '9')
		return fail(x, "bad repetition count");
	*v = 0;
	while (*x->p >= '0' && *x->p <= '9') {
		*v = *v * 10 + (*x->p++ - '0');
		if (*v > MAX_REPEAT)
			return fail(x, "repetition count too large");
	}
	return 0;
}

/*
 * atom {m,n}: m copies, then n - m optional ones (or a star).  The
 * atom's states are [first, x->nst) on entry.
 */
static int repeat(struct rx *x, struct frag *f, int first, int m, int n)
{
	struct frag atom = *f, out, c;
	int i, last = x->nst;

	if (frag_empty(x, &out) < 0)
		return -1;
	for (i = 0; i < m; i++) {
		if (frag_copy(x, &atom, first, last, &c) < 0)
			return -1;
		concat(x, &out, &c);
	}
	if (n < 0) {
		if (frag_copy(x, &atom, first, last, &c) < 0 || make_star(x, &c) < 0)
			return -1;
		concat(x, &out, &c);
	}
	for (; i < n; i++) {
		if (frag_copy(x, &atom, first, last, &c) < 0 || make_optional(x, &c) < 0)
			return -1;
		concat(x, &out, &c);
	}
	*f = out;
	return 0;
}

static int parse_piece(struct rx *x, struct frag *f)
{
	int m, n, first = x->nst;

	/* Every state of the piece so far is in [first, x->nst). */
	if (parse_atom(x, f) < 0)
		return -1;
	for (;;) {
		char c = *x->p;

		if (c == '*' || c == '+' || c == '?') {
			x->p++;
			if (c == '+') {
				if (repeat(x, f, first, 1, -1) < 0)
					return -1;
			} else if ((c == '*' ? make_star(x, f) :
				    make_optional(x, f)) < 0) {
				return -1;
			}
		} else if (c == '{') {
			x->p++;
			if (parse_number(x, &m) < 0)
				return -1;
			n = m;
			if (*x->p == ',') {
				x->p++;
				n = -1;
				if (*x->p != '}' && parse_number(x, &n) < 0)
					return -1;
			}
			if (*x->p != '}' || (n >= 0 && n < m))
				return fail(x, "bad repetition");
			x->p++;
			if (repeat(x, f, first, m, n) < 0)
				return -1;
		} else {
			return 0;
		}
	}
}

static int parse_concat(struct rx *x, struct frag *f)
{
	struct frag p;

	if (frag_empty(x, f) < 0)
		return -1;
	while (*x->p && *x->p != '|' && *x->p != ')') {
		if (parse_piece(x, &p) < 0)
			return -1;
		concat(x, f, &p);
	}
	return 0;
}

static int parse_alt(struct rx *x, struct frag *f)
{
	struct frag b;
	int a, e;

	if (parse_concat(x, f) < 0)
		return -1;
	while (*x->p == '|') {
		x->p++;
		if (parse_concat(x, &b) < 0)
			return -1;
		a = new_state(x, -1);
		e = new_state(x, -1);
		if (a < 0 || e < 0)
			return -1;
		edge(x, a, f->start);
		edge(x, a, b.start);
		edge(x, f->end, e);
		edge(x, b.end, e);
		*f = (struct frag){ a, e };
	}
	return 0;
}

/* ------------------------------------------------------------ the DFA */

#define SETW ((REGEX_MAX_NFA + 63) / 64)
typedef struct { uint64_t w[SETW]; } stset;

static void closure(const struct rx *x, stset *s)
{
	int stack[REGEX_MAX_NFA], n = 0;

	for (int i = 0; i < x->nst; i++)
		if (s->w[i / 64] >> (i % 64) & 1)
			stack[n++] = i;
	while (n) {
		const struct nstate *st = &x->st[stack[--n]];
		int outs[2] = { st->out, st->out2 };

		if (st->sym >= 0)
			continue;
		for (int k = 0; k < 2; k++) {
			int o = outs[k];

			if (o >= 0 && !(s->w[o / 64] >> (o % 64) & 1)) {
				s->w[o / 64] |= 1ull << (o % 64);
				stack[n++] = o;
			}
		}
	}
}

int regex_compile(const char *re, struct regex_dfa *dfa, char *err,
		  size_t errsize, size_t *errpos)
{
	struct rx *x = calloc(1, sizeof(*x));
	stset *dstates = NULL;
	struct frag f, pre;
	symset any = { { 0 } };
	int rep[NSYM], nclasses = 0, nd = 0, accept_state, ret = -1;
	bool done[NSYM];

	memset(dfa, 0, sizeof(*dfa));
	if (!x)
		abort();
	x->re = x->p = re;
	x->err = err;
	x->errsize = errsize;
	/* .* before the pattern (a search), a sticky accept after it */
	for (int c = 0; c < NSYM; c++)
		ss_add(&any, c);
	if (frag_set(x, &any, &pre) < 0 || make_star(x, &pre) < 0 ||
	    parse_alt(x, &f) < 0)
		goto out;
	if (*x->p) {
		fail(x, "unmatched ')'");
		goto out;
	}
	concat(x, &pre, &f);
	accept_state = new_state(x, -1);
	if (accept_state < 0)
		goto out;
	{
		struct frag acc;

		if (frag_set(x, &any, &acc) < 0)
			goto out;
		edge(x, pre.end, accept_state);
		edge(x, accept_state, acc.start);
		edge(x, acc.end, accept_state);
	}
	/* byte classes: bytes with the same membership in every set */
	for (int c = 0; c < NSYM; c++)
		done[c] = false;
	for (int c = 0; c < NSYM; c++) {
		if (done[c])
			continue;
		for (int d = c; d < NSYM; d++) {
			bool same = true;

			if (done[d])
				continue;
			for (int i = 0; i < x->nsets && same; i++)
				same = ss_has(&x->sets[i], c) ==
				       ss_has(&x->sets[i], d);
			if (same && (d < 256) == (c < 256) &&
			    (c < 256 || d == c)) {
				done[d] = true;
				if (d < 256)
					dfa->classmap[d] = (uint8_t)nclasses;
			}
		}
		rep[nclasses++] = c;
	}
	/* BOS and EOS are the last two classes (258 symbols: they exist) */
	dfa->nclasses = (uint16_t)nclasses;
	dstates = calloc(REGEX_MAX_DFA, sizeof(*dstates));
	dfa->table = calloc((size_t)REGEX_MAX_DFA * nclasses,
			    sizeof(uint16_t));
	dfa->accept = calloc(REGEX_MAX_DFA, 1);
	if (!dstates || !dfa->table || !dfa->accept)
		abort();
	dstates[0].w[pre.start / 64] |= 1ull << (pre.start % 64);
	closure(x, &dstates[0]);
	nd = 1;
	for (int d = 0; d < nd; d++) {
		for (int k = 0; k < nclasses; k++) {
			stset next = { { 0 } };
			int j;

			for (int i = 0; i < x->nst; i++) {
				const struct nstate *st = &x->st[i];

				if (st->sym >= 0 &&
				    (dstates[d].w[i / 64] >> (i % 64) & 1) &&
				    ss_has(&x->sets[st->sym], rep[k]))
					next.w[st->out / 64] |=
						1ull << (st->out % 64);
			}
			closure(x, &next);
			for (j = 0; j < nd; j++)
				if (!memcmp(&dstates[j], &next, sizeof(next)))
					break;
			if (j == nd) {
				if (nd == REGEX_MAX_DFA) {
					x->p = re;
					fail(x, "regular expression needs too "
					     "many states");
					goto out;
				}
				dstates[nd++] = next;
			}
			dfa->table[d * nclasses + k] = (uint16_t)j;
		}
		dfa->accept[d] = dstates[d].w[accept_state / 64] >>
				 (accept_state % 64) & 1;
	}
	dfa->nstates = (uint16_t)nd;
	ret = 0;
out:
	if (ret) {
		*errpos = (size_t)((x->errat ? x->errat : x->p) - re);
		regex_free(dfa);
	}
	free(dstates);
	free(x);
	return ret;
}

void regex_free(struct regex_dfa *dfa)
{
	free(dfa->table);
	free(dfa->accept);
	dfa->table = NULL;
	dfa->accept = NULL;
}
