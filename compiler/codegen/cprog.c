// SPDX-License-Identifier: GPL-2.0-only
/* cprog.c - the program's tables: growth, strtab, constants, formats,
 * DFAs. */
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "sema/regex.h"

void *cprog_grow(void *v, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return v;
	uint32_t n = *cap ? *cap : 16;

	while (n < need)
		n *= 2;
	v = realloc(v, (size_t)n * elem);
	if (!v) {
		fputs("vtc: out of memory\n", stderr);
		abort();
	}
	memset((char *)v + (size_t)*cap * elem, 0, (size_t)(n - *cap) * elem);
	*cap = n;
	return v;
}

/*
 * The strtab offset of @s, added if new.  The loader refuses a string
 * longer than VT_STRING_MAX (every use reads at most strsize - 1 <
 * VT_STRING_MAX bytes of it, and formats longer than that are errors in
 * sema), so a longer one, a string literal, is stored cut there.
 */
uint32_t cprog_str(struct cprog *p, const char *s)
{
	char cut[VT_STRING_MAX + 1];
	size_t len = strnlen(s, VT_STRING_MAX + 1);
	uint32_t off;

	if (len > VT_STRING_MAX) {
		len = VT_STRING_MAX;
		memcpy(cut, s, len);
		cut[len] = '\0';
		s = cut;
	}

	if (!p->nstrtab)
		*VEC_ADD(p, strtab) = 0;
	if (!len)
		return 0;
	/* Any "s\0" in the table will do, a suffix of a longer one too. */
	for (const char *at = p->strtab; at < p->strtab + p->nstrtab;) {
		const char *hit = memmem(at, p->nstrtab - (size_t)(at -
				p->strtab), s, len + 1);

		if (!hit)
			break;
		return (uint32_t)(hit - p->strtab);
	}
	off = p->nstrtab;
	p->strtab = cprog_grow(p->strtab, &p->cap_strtab,
			       p->nstrtab + (uint32_t)len + 1, 1);
	memcpy(p->strtab + off, s, len + 1);
	p->nstrtab += (uint32_t)len + 1;
	return off;
}

void cprog_free(struct cprog *p)
{
	free(p->code);
	free(p->units);
	free(p->consts);
	free(p->strtab);
	free(p->lglobals);
	free(p->sglobals);
	free(p->probes);
	free(p->formats);
	free(p->lines);
	free(p->usigs);
	free(p->handlers);
	free(p->dfas);
	free(p->dfadata);
	free(p->maps);
	free(p->iters);
	free(p->autoprint);
	memset(p, 0, sizeof(*p));
}

int cprog_const(struct cprog *p, int64_t v)
{
	for (uint32_t i = 0; i < p->nconsts; i++)
		if (p->consts[i] == v)
			return (int)i;
	*VEC_ADD(p, consts) = v;
	return (int)p->nconsts - 1;
}

int cprog_format(struct cprog *p, const char *text, const char *sig)
{
	uint32_t t = cprog_str(p, text), s = cprog_str(p, sig);
	struct vt_format_desc *f;

	for (uint32_t i = 0; i < p->nformats; i++)
		if (p->formats[i].text == t && p->formats[i].sig == s)
			return (int)i;
	f = VEC_ADD(p, formats);
	f->text = t;
	f->sig = s;
	return (int)p->nformats - 1;
}


/* Append @n bytes to DFADATA at an even offset; returns the offset. */
static uint32_t dfadata_add(struct cprog *p, const void *bytes, size_t n)
{
	uint32_t off = (p->ndfadata + 1) & ~1u;

	p->dfadata = cprog_grow(p->dfadata, &p->cap_dfadata,
				off + (uint32_t)n, 1);
	memset(p->dfadata + p->ndfadata, 0, off - p->ndfadata);
	memcpy(p->dfadata + off, bytes, n);
	p->ndfadata = off + (uint32_t)n;
	return off;
}

/* The DFA of @pattern (sema checked that it compiles), added once. */
int cprog_dfa(struct cprog *p, const char *pattern)
{
	uint32_t s = cprog_str(p, pattern);
	struct regex_dfa dfa;
	struct vt_dfa_desc *d;
	char err[128];
	size_t pos;

	for (uint32_t i = 0; i < p->ndfas; i++)
		if (p->dfas[i].pattern == s)
			return (int)i;
	if (regex_compile(pattern, &dfa, err, sizeof(err), &pos) < 0)
		abort();	/* sema compiled it already */
	d = VEC_ADD(p, dfas);
	d->pattern = s;
	d->nstates = dfa.nstates;
	d->nclasses = dfa.nclasses;
	d->classmap = dfadata_add(p, dfa.classmap, 256);
	d->table = dfadata_add(p, dfa.table, (size_t)dfa.nstates *
			       dfa.nclasses * sizeof(uint16_t));
	d->accept = dfadata_add(p, dfa.accept, dfa.nstates);
	regex_free(&dfa);
	return (int)p->ndfas - 1;
}
