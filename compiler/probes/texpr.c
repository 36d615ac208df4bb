// SPDX-License-Identifier: GPL-2.0-only
/*
 * texpr.c - see texpr.h.  A chain is evaluated from its root outwards
 * into a struct tval: either a value (a pointer or integer the probe
 * already has: a parameter, a pointer read from memory) or an object in
 * memory at an address expression plus a constant offset, with its C
 * type.  Only the outermost step reads the object (value()), takes its
 * address ('&') or reports that it has no value (a struct).  The nodes
 * of the chain are never modified: the result is a new tree that
 * replaces the chain's top node, so messages can print any prefix as
 * written.  @defined resolves its operand with a diag that prints
 * nothing and counts errors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "texpr.h"
#include "tpretty.h"
#include "types.h"
#include "targetvar.h"
#include "uprobe.h"
#include "lang/print.h"
#include "lang/lexer.h"
#include "lang/suggest.h"
#include "vtrace_uapi.h"

struct tx {
	struct diag *d;
	struct arena *a;
	struct probe *p;	/* NULL in a function */
	bool resolve_only;	/* @defined: a chain that resolves to any
				 * type (a struct too) is defined */
};

/* A chain evaluated so far. */
struct tval {
	struct node *expr;	/* a value, or an object's base address */
	uint64_t off;		/* object: bytes added to expr */
	struct ctype *type;	/* as declared (typedefs kept); NULL void */
	bool object;		/* in memory at expr + off, not read yet */
	bool user;		/* that memory is the current task's */
	bool untyped;		/* a target variable without a C type */
	uint32_t bit_size;	/* object: a bitfield of that many bits */
	uint64_t bit_off;	/* ... starting that many bits after expr+off */
};

static void fail(struct tx *t, struct vtc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct tx *t, struct vtc_loc loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_error(t->d, loc, "%s", msg);
}

static const char *text(struct tx *t, const struct node *n)
{
	return expr_text(t->a, n);
}

static const char *spell(const struct ctype *ty, char *buf, size_t n)
{
	if (!ty)
		return snprintf(buf, n, "void"), buf;
	return ctype_spell(ty, buf, n);
}

/* ------------------------------------------------------ new nodes */

static struct node *num(struct tx *t, struct vtc_loc loc, int64_t v)
{
	struct node *n = node_new(t->a, N_NUM, loc);

	n->num = v;
	n->type = TY_LONG;
	n->height = 1;
	return n;
}

static struct node *binop(struct tx *t, struct vtc_loc loc, int op,
			  struct node *x, struct node *y)
{
	return node_make(t->a, N_BINARY, loc, op, x, y, NULL);
}

/* _deref(@addr, how): one read of @size bytes. */
static struct node *deref(struct tx *t, struct vtc_loc loc, struct node *addr,
			  uint64_t size, bool is_signed, bool user)
{
	struct node *c = node_make(t->a, N_CALL, loc, 0, addr, NULL, NULL);

	c->str = "_deref";
	addr->next = num(t, loc, VT_DEREF_HOW(size, is_signed, user));
	return c;
}

/* The address of object @v. */
static struct node *address(struct tx *t, struct vtc_loc loc,
			    const struct tval *v)
{
	if (!v->off)
		return v->expr;
	if (v->expr->kind == N_NUM)	/* @cast(0, ...): folded */
		return num(t, loc, v->expr->num + (int64_t)v->off);
	return binop(t, loc, '+', v->expr, num(t, loc, (int64_t)v->off));
}

/* ------------------------------------------------------------ roots */

/* Is @n a target variable ("$name" as the parser stores it)? */
static bool is_target_var(const struct node *n)
{
	return n->kind == N_CALL && n->str[0] == '$' && !n->a;
}

static bool user_probe(const struct probe *p)
{
	return p && p->points && uprobe_point_binary(p->points);
}

/* $name: its provider's read of it (on a copy), typed by n->ctype. */
static bool eval_var(struct tx *t, struct node *n, struct tval *v)
{
	struct node *c = node_new(t->a, N_CALL, n->loc);

	*c = *n;
	c->next = NULL;
	if (!t->p) {
		fail(t, n->loc, "target variable '%s' outside a probe (pass "
		     "it to the function as an argument)", n->str);
		return false;
	}
	if (targetvar_rewrite(t->d, t->a, t->p, c) && c->kind == N_ERROR)
		return false;
	*v = (struct tval){ .expr = c, .type = c->ctype,
			    .user = user_probe(t->p), .untyped = !c->ctype };
	return true;
}

/* The type source @mod names (NULL: the probe's binary, else the
 * kernel); user memory for a binary. */
static struct type_source *open_source(struct tx *t, const struct node *mod,
				       struct vtc_loc at, bool *user)
{
	const char *name = mod ? mod->str : NULL;
	struct type_source *s;
	char err[512];

	if (!name && user_probe(t->p))
		name = uprobe_point_binary(t->p->points);
	s = types_open(name, err, sizeof(err));
	if (!s)
		fail(t, mod ? mod->loc : at, "%s", err);
	*user = name && strchr(name, '/');
	return s;
}

/* @cast(PTR, "TYPE" [, "MODULE"]): a TYPE object at PTR. */
static bool eval_cast(struct tx *t, struct node *n, struct tval *v)
{
	const char *similar[SUGGEST_MAX + 1] = { 0 };
	struct type_source *s;
	struct ctype *ty;
	char hint[256];
	bool user;

	if (!(s = open_source(t, n->c, n->loc, &user)))
		return false;
	ty = types_lookup(s, n->b->str);
	if (!ty) {
		types_similar(s, n->b->str, similar, SUGGEST_MAX);
		suggest_names(hint, sizeof(hint), n->b->str, similar);
		fail(t, n->b->loc, "unknown type '%s' in %s%s", n->b->str,
		     types_source_name(s), hint);
		return false;
	}
	*v = (struct tval){ .expr = n->a, .type = ty, .object = true,
			    .user = user };
	return true;
}

/* @var("NAME[@FILE]" [, "MODULE"]): resolved; read only if addressed. */
static bool eval_at_var(struct tx *t, struct node *n, struct tval *v)
{
	const char *at = strchr(n->b->str, '@');
	char name[256];
	struct type_source *s;
	struct ctype *ty;
	uint64_t addr;
	bool user, percpu;

	snprintf(name, sizeof(name), "%.*s",
		 (int)(at ? (size_t)(at - n->b->str) : strlen(n->b->str)),
		 n->b->str);
	if (!(s = open_source(t, n->c, n->loc, &user)))
		return false;
	if (!types_variable(s, name, &ty, &addr, &percpu)) {
		fail(t, n->b->loc, "no variable '%s' in %s (the kernel's BTF "
		     "has its per-CPU variables only; a binary's DWARF has "
		     "its globals)", name, types_source_name(s));
		return false;
	}
	if (!t->resolve_only) {
		fail(t, n->loc, "@var(\"%s\"): reading variables is not "
		     "supported yet (their run-time address is not known "
		     "here)", n->b->str);
		return false;
	}
	*v = (struct tval){ .expr = num(t, n->loc, (int64_t)addr),
			    .type = ty, .object = true, .user = user };
	return true;
}

/* ------------------------------------------------------------ steps */

/* Object @v holds a pointer: read it, @v is now its value. */
static void load_pointer(struct tx *t, struct vtc_loc loc, struct tval *v)
{
	if (!v->object)
		return;
	v->expr = deref(t, loc, address(t, loc, v), 8, false, v->user);
	v->off = 0;
	v->object = false;
}

/* Value @v, a pointer: @v is now the object it points to. */
static void through_pointer(struct tval *v, struct ctype *s)
{
	v->type = s->ref;
	v->off = 0;
	v->object = true;
}

static bool typed(struct tx *t, const struct node *base, const struct tval *v)
{
	if (!v->untyped)
		return true;
	fail(t, base->loc, "'%s' has no C type here (no BTF or DWARF "
	     "describes it, or its type differs between the probe's "
	     "functions): use @cast(%s, \"TYPE\")", text(t, base),
	     text(t, base));
	return false;
}

/* "did you mean" over @s's members, anonymous members' members too. */
static void member_names(struct ctype *s, struct suggest *sg, int depth)
{
	const struct ctype_member *m;
	size_t n = ctype_members(s, &m);

	for (size_t i = 0; i < n; i++) {
		struct ctype *ms = ctype_strip(m[i].type);

		if (*m[i].name)
			suggest_consider(sg, m[i].name);
		else if (ms && depth < 8 && (ms->kind == CT_STRUCT ||
					     ms->kind == CT_UNION))
			member_names(ms, sg, depth + 1);
	}
}

static void unknown_member(struct tx *t, struct node *n, struct ctype *s)
{
	struct suggest sg;
	char hint[256], b[128];

	suggest_init(&sg, n->str);
	member_names(s, &sg, 0);
	suggest_hint(&sg, hint, sizeof(hint));
	fail(t, n->loc, "'%s' has no member '%s'%s", spell(s, b, sizeof(b)),
	     n->str, hint);
}

/* ->NAME: through a pointer (one read if it is in memory) or a struct. */
static bool member(struct tx *t, struct node *n, struct tval *v)
{
	struct ctype *s = ctype_strip(v->type);
	struct ctype_member m;
	char b[128];

	if (!typed(t, n->a, v))
		return false;
	if (s && s->kind == CT_PTR) {
		struct ctype *ptr = v->type;

		load_pointer(t, n->loc, v);
		through_pointer(v, s);
		s = ctype_strip(v->type);
		if (!s || (s->kind != CT_STRUCT && s->kind != CT_UNION &&
			   s->kind != CT_FWD)) {
			fail(t, n->loc, "'%s' is '%s', not a pointer to a "
			     "struct or union (use @cast(%s, \"TYPE\")->%s)",
			     text(t, n->a), spell(ptr, b, sizeof(b)),
			     text(t, n->a), n->str);
			return false;
		}
	} else if (!s || (s->kind != CT_STRUCT && s->kind != CT_UNION &&
			  s->kind != CT_FWD) || !v->object) {
		fail(t, n->loc, "'%s' is '%s', not a pointer or struct",
		     text(t, n->a), spell(v->type, b, sizeof(b)));
		return false;
	}
	if (s->kind == CT_FWD) {
		fail(t, n->loc, "'%s' is an incomplete type: '%s' has no "
		     "definition in this type source", text(t, n->a),
		     spell(s, b, sizeof(b)));
		return false;
	}
	if (!ctype_find_member(s, n->str, &m)) {
		unknown_member(t, n, s);
		return false;
	}
	v->type = m.type;
	if (m.bit_size) {
		v->bit_size = m.bit_size;
		v->bit_off = m.bit_offset;
	} else {
		v->off += m.bit_offset / 8;
	}
	return true;
}

/* [INDEX]: an element of an array object, or through a pointer. */
static bool element(struct tx *t, struct node *n, struct tval *v)
{
	struct ctype *s = ctype_strip(v->type);
	uint64_t size;
	char b[128];

	if (!typed(t, n->a, v))
		return false;
	if (s && s->kind == CT_PTR) {
		load_pointer(t, n->loc, v);
		through_pointer(v, s);
	} else if (s && s->kind == CT_ARRAY && v->object) {
		v->type = s->ref;
	} else {
		fail(t, n->loc, "'%s' is '%s', not an array or pointer",
		     text(t, n->a), spell(v->type, b, sizeof(b)));
		return false;
	}
	size = ctype_sizeof(v->type);
	if (!size) {
		fail(t, n->loc, "'%s' points to '%s', whose size is unknown "
		     "(use @cast(%s, \"TYPE\")[...])", text(t, n->a),
		     spell(v->type, b, sizeof(b)), text(t, n->a));
		return false;
	}
	if (n->b->kind == N_NUM) {
		v->off += (uint64_t)n->b->num * size;
		return true;
	}
	v->expr = binop(t, n->loc, '+', address(t, n->loc, v),
			binop(t, n->loc, '*', n->b,
			      num(t, n->loc, (int64_t)size)));
	v->off = 0;
	return true;
}

static bool eval(struct tx *t, struct node *n, struct tval *v)
{
	switch (n->kind) {
	case N_MEMBER:
		return eval(t, n->a, v) && member(t, n, v);
	case N_ELEM:
		return eval(t, n->a, v) && element(t, n, v);
	case N_CAST:
		return eval_cast(t, n, v);
	case N_VAR:
		return eval_at_var(t, n, v);
	default:	/* the parser allows nothing else */
		return eval_var(t, n, v);
	}
}

/* ----------------------------------------------------------- values */

/* A bitfield of object @v: its storage unit read, shifted and masked. */
static struct node *bitfield(struct tx *t, struct vtc_loc loc,
			     struct tval *v, const struct ctype *s)
{
	uint64_t unit = s->size, bits = v->bit_size;
	uint64_t start = v->bit_off / (unit * 8) * unit;
	uint64_t shift = v->bit_off - start * 8;
	struct node *x;

	if (shift + bits > unit * 8) {	/* packed: straddles its unit */
		unit = 8;
		start = v->bit_off / 8;
		shift = v->bit_off % 8;
	}
	v->off += start;
	x = deref(t, loc, address(t, loc, v), unit, false, v->user);
	if (s->is_signed)	/* the field's top bit to bit 63, back down */
		return binop(t, loc, T_SHR,
			     binop(t, loc, T_SHL, x, num(t, loc, (int64_t)
				   (64 - shift - bits))),
			     num(t, loc, (int64_t)(64 - bits)));
	if (shift)
		x = binop(t, loc, T_SHR, x, num(t, loc, (int64_t)shift));
	return binop(t, loc, '&', x, num(t, loc, (int64_t)(bits < 64 ?
					 (1ull << bits) - 1 : ~0ull)));
}

/* The value of chain @n evaluated into @v; NULL after an error. */
static struct node *value(struct tx *t, struct node *n, struct tval *v)
{
	struct ctype *s = ctype_strip(v->type);
	char b[128];

	if (!v->object)
		return v->expr;
	switch (s ? s->kind : CT_VOID) {
	case CT_ARRAY:		/* its address, as in C */
		return address(t, n->loc, v);
	case CT_INT: case CT_ENUM: case CT_PTR:
		if (v->bit_size)
			return bitfield(t, n->loc, v, s);
		if (s->kind == CT_PTR || s->size == 8 || s->size == 4 ||
		    s->size == 2 || s->size == 1)
			return deref(t, n->loc, address(t, n->loc, v),
				     s->kind == CT_PTR ? 8 : s->size,
				     s->kind != CT_PTR && s->is_signed,
				     v->user);
		fail(t, n->loc, "'%s' is '%s' of %llu bytes: only 1, 2, 4 and "
		     "8 byte integers can be read", text(t, n),
		     spell(v->type, b, sizeof(b)),
		     (unsigned long long)s->size);
		return NULL;
	case CT_STRUCT: case CT_UNION: case CT_FWD:
		fail(t, n->loc, "'%s' is '%s', not a value: read a member "
		     "with '->' or take its address with '&'", text(t, n),
		     spell(v->type, b, sizeof(b)));
		return NULL;
	case CT_FLOAT:
		fail(t, n->loc, "'%s' is '%s': floating-point values cannot "
		     "be read", text(t, n), spell(v->type, b, sizeof(b)));
		return NULL;
	default:
		fail(t, n->loc, "'%s' is '%s', which has no value", text(t, n),
		     spell(v->type, b, sizeof(b)));
		return NULL;
	}
}

/* &CHAIN: the object's address. */
static struct node *address_of(struct tx *t, struct node *n)
{
	struct tval v;

	if (!eval(t, n->a, &v))
		return NULL;
	if (!v.object) {
		fail(t, n->loc, "'%s' is held in a register and has no address",
		     text(t, n->a));
		return NULL;
	}
	if (v.bit_size) {
		fail(t, n->loc, "'%s' is a bitfield and has no address",
		     text(t, n->a));
		return NULL;
	}
	return address(t, n->loc, &v);
}

static struct node *rewrite(struct tx *t, struct node *n);

/* Does every target expression in @n resolve?  Reports nothing. */
static bool resolves(struct tx *t, struct node *n)
{
	struct diag quiet = *t->d;
	struct tx q = *t;
	struct node *kids[4] = { n->a, n->b, n->c, n->d };

	quiet.err = NULL;
	q.d = &quiet;
	q.resolve_only = true;
	if (texpr_is(n) || is_target_var(n))
		return rewrite(&q, n) && quiet.nerrors == t->d->nerrors;
	for (int i = 0; i < 4; i++)
		for (struct node *k = kids[i]; k; k = k->next)
			if (!resolves(t, k))
				return false;
	return true;
}

/* @n rewritten when it is a target expression, else @n itself. */
static struct node *rewrite_any(struct tx *t, struct node *n)
{
	return texpr_is(n) ? rewrite(t, n) : n;
}

/* The replacement of target expression @n, or NULL after an error. */
static struct node *rewrite(struct tx *t, struct node *n)
{
	struct tval v;

	switch (n->kind) {
	case N_ADDR:
		return address_of(t, n);
	case N_DEFINED:
		return num(t, n->loc, resolves(t, n->a));
	case N_CHOOSE:
		return rewrite_any(t, resolves(t, n->a) ? n->a : n->b);
	case N_PRETTY:
		if (t->resolve_only)	/* defined when its operand is */
			return rewrite(t, n->a);
		return tpretty_rewrite(t->d, t->a, t->p, n);
	case N_VARSET:
		return tpretty_rewrite(t->d, t->a, t->p, n);
	default:	/* @defined asks for a type, not a value */
		if (!eval(t, n, &v))
			return NULL;
		return t->resolve_only ? v.expr : value(t, n, &v);
	}
}

bool texpr_typeof(struct diag *d, struct arena *a, struct probe *p,
		  struct node *n, struct texpr_type *out)
{
	struct tx t = { .d = d, .a = a, .p = p };
	struct tval v;

	if (!eval(&t, n, &v))
		return false;
	*out = (struct texpr_type){ .type = v.type, .object = v.object,
				    .user = v.user, .untyped = v.untyped };
	return true;
}

bool texpr_is(const struct node *n)
{
	return n->kind >= N_MEMBER && n->kind <= N_VARSET;
}

bool texpr_rewrite(struct diag *d, struct arena *a, struct probe *p,
		   struct node *n)
{
	struct tx t = { .d = d, .a = a, .p = p };
	struct node *r = rewrite(&t, n), *next = n->next;

	if (r && r->height > VTC_MAX_DEPTH) {
		fail(&t, n->loc, "target expression too long once rewritten "
		     "(more than %d levels): split it with @cast",
		     VTC_MAX_DEPTH);
		r = NULL;
	}
	if (!r) {
		n->kind = N_ERROR;
		n->a = n->b = n->c = n->d = NULL;
		return false;
	}
	*n = *r;
	n->next = next;
	return true;
}
