// SPDX-License-Identifier: GPL-2.0-only
/*
 * stacks.c - see stacks.h.  Formats (SystemTap's): backtrace() "0x.. 0x..";
 * print_stack " 0xADDR : sym+0xOFF/0xSIZE [module]" a line per frame;
 * sprint_stack "sym+0xOFF/0xSIZE [module]" a line per frame; symname
 * "sym"; symdata "sym+0xOFF/0xSIZE [module]"; caller "sym 0xADDR".  An
 * address no symbol covers prints as 0xADDR.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stacks.h"
#include "stack.h"
#include "usyms.h"

struct ksym {
	u64 addr;
	u64 size;		/* to the next symbol or the module's end */
	char *name;
	const char *module;	/* "kernel" or the module's name */
};

static struct {
	stacks_fetch_fn fetch;
	void *ctx;
	void *table;		/* the last copy */
	u64 size;
	struct ksym *syms;	/* sorted by addr */
	size_t nsyms;
	bool loaded;		/* kallsyms read (or failed to) */
	u32 seen;		/* ids stacks_prefetch() looked at */
} st;

void stacks_source(stacks_fetch_fn fetch, void *ctx)
{
	st.fetch = fetch;
	st.ctx = ctx;
}

void stacks_reset(void)
{
	for (size_t i = 0; i < st.nsyms; i++)
		free(st.syms[i].name);
	free(st.syms);
	free(st.table);
	memset(&st, 0, sizeof(st));
	usyms_reset();
}

/* ------------------------------------------------ /proc/kallsyms */

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

/* The end of module @name per /proc/modules (base + size), or 0. */
static u64 module_end(const char *name)
{
	FILE *f = fopen("/proc/modules", "r");
	char line[512], mod[128];
	unsigned long long size, base;
	u64 end = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %llu %*s %*s %*s %llx", mod, &size,
			   &base) == 3 && !strcmp(mod, name))
			end = base + size;
	if (f)
		fclose(f);
	return end;
}

static int add_sym(u64 addr, const char *name, const char *module)
{
	static size_t cap;
	struct ksym *k;

	if (st.nsyms == cap) {
		cap = cap ? 2 * cap : 65536;
		k = realloc(st.syms, cap * sizeof(*k));
		if (!k)
			return -1;
		st.syms = k;
	}
	k = &st.syms[st.nsyms];
	k->addr = addr;
	k->name = strdup(name);
	k->module = module;
	k->size = 0;
	if (!k->name)
		return -1;
	st.nsyms++;
	return 0;
}

/* Sizes: to the next higher address; a module's last symbol to its end. */
static void size_syms(void)
{
	for (size_t i = 0; i < st.nsyms; i++) {
		struct ksym *k = &st.syms[i];
		size_t j = i + 1;

		while (j < st.nsyms && st.syms[j].addr == k->addr)
			j++;
		if (j < st.nsyms && st.syms[j].module == k->module)
			k->size = st.syms[j].addr - k->addr;
		else if (strcmp(k->module, "kernel"))
			k->size = module_end(k->module) > k->addr ?
				  module_end(k->module) - k->addr : 0;
	}
}

static const char *intern_module(const char *name)
{
	static char **mods;
	static size_t n;
	char **m;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(mods[i], name))
			return mods[i];
	m = realloc(mods, (n + 1) * sizeof(*mods));
	if (!m)
		return NULL;
	mods = m;
	mods[n] = strdup(name);
	return mods[n] ? mods[n++] : NULL;
}

static void load_kallsyms(void)
{
	FILE *f;
	char line[1024], name[512], mod[256], type;
	unsigned long long addr;

	st.loaded = true;
	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		const char *m = "kernel";
		int n = sscanf(line, "%llx %c %511s [%255[^]]]", &addr, &type,
			       name, mod);

		if (n < 3 || !addr || type == 'A' || type == 'a')
			continue;	/* hidden, or absolute (per-CPU) */
		if (n == 4 && !(m = intern_module(mod)))
			break;
		if (add_sym(addr, name, m))
			break;
	}
	fclose(f);
	qsort(st.syms, st.nsyms, sizeof(*st.syms), cmp_ksym);
	size_syms();
}

/* The symbol covering @addr, or NULL. */
static const struct ksym *lookup(u64 addr)
{
	size_t lo = 0, hi;

	if (!st.loaded)
		load_kallsyms();
	hi = st.nsyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st.syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	/* the last of equal addresses; a size 0 symbol covers its addr */
	if (addr - st.syms[lo - 1].addr >= st.syms[lo - 1].size &&
	    addr != st.syms[lo - 1].addr)
		return NULL;
	return &st.syms[lo - 1];
}

/* ------------------------------------------------ text */

struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void put(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL,
			      b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0 || b->oom)
			return;
		if (b->p && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		b->cap = 2 * (b->cap + (size_t)n + 64);
		char *p = realloc(b->p, b->cap);

		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
	}
}

/* What an address of a stack of @e's kind is. */
struct sym {
	const char *name;	/* NULL: none covers it */
	u64 off, size;
	const char *module;	/* kernel: "kernel" or a module; user: the
				 * file, or NULL when not in one */
	u64 foff;		/* user: the offset in the file */
};

static void resolve(const struct vt_stack_ent *e, u64 addr, struct sym *s)
{
	const struct ksym *k;
	struct usym u;

	memset(s, 0, sizeof(*s));
	if (e->kind == VT_STACK_KIND_USER) {
		if (usyms_lookup(e->pid, addr, &u))
			return;
		*s = (struct sym){ u.name, u.off, u.size, u.path, u.foff };
		return;
	}
	k = lookup(addr);
	if (k)
		*s = (struct sym){ k->name, addr - k->addr, k->size,
				   k->module, 0 };
}

/*
 * "sym+0xOFF/0xSIZE [module]"; a user address in a file without a
 * symbol for it "0xADDR [file+0xOFFSET]"; else "0xADDR".
 */
static void put_symdata(struct buf *b, const struct vt_stack_ent *e,
			u64 addr)
{
	struct sym s;

	resolve(e, addr, &s);
	if (s.name)
		put(b, "%s+0x%llx/0x%llx [%s]", s.name,
		    (unsigned long long)s.off, (unsigned long long)s.size,
		    s.module);
	else if (s.module)
		put(b, "0x%llx [%s+0x%llx]", (unsigned long long)addr,
		    s.module, (unsigned long long)s.foff);
	else
		put(b, "0x%llx", (unsigned long long)addr);
}

static void put_frame(struct buf *b, const struct vt_stack_ent *e, u32 mode,
		      u64 addr, u32 i)
{
	struct sym s;

	switch (mode) {
	case VT_STACK_HEX:
		put(b, "%s0x%llx", i ? " " : "", (unsigned long long)addr);
		break;
	case VT_STACK_FULL:
		put(b, " 0x%llx : ", (unsigned long long)addr);
		put_symdata(b, e, addr);
		put(b, "\n");
		break;
	case VT_STACK_LINES:
		put_symdata(b, e, addr);
		put(b, "\n");
		break;
	case VT_STACK_DATA:
		put_symdata(b, e, addr);
		break;
	default:	/* NAME, CALLER */
		resolve(e, addr, &s);
		if (s.name)
			put(b, "%s", s.name);
		else
			put(b, "0x%llx", (unsigned long long)addr);
		if (mode == VT_STACK_CALLER)
			put(b, " 0x%llx", (unsigned long long)addr);
	}
}

/* The entry of @id, copying the table again if it may be newer. */
static const struct vt_stack_ent *entry(u32 id)
{
	const struct vt_stack_ent *e = st.table ?
		vt_stack_entry(st.table, st.size, id) : NULL;

	if (e || !st.fetch)
		return e;
	free(st.table);
	st.table = st.fetch(st.ctx, &st.size);
	return st.table ? vt_stack_entry(st.table, st.size, id) : NULL;
}

char *stacks_text(s64 ref)
{
	u32 id = VT_STACKREF_ID(ref), mode = VT_STACKREF_MODE(ref);
	const struct vt_stack_ent *e = id ? entry(id) : NULL;
	struct buf b = { 0 };

	put(&b, "%s", "");
	if (id && !e)
		put(&b, "<stack %u unavailable>", id);
	for (u32 i = 0; e && i < e->nframes; i++)
		put_frame(&b, e, mode, e->frames[i], i);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

char *stacks_folded(s64 ref)
{
	u32 id = VT_STACKREF_ID(ref);
	const struct vt_stack_ent *e = id ? entry(id) : NULL;
	struct buf b = { 0 };

	put(&b, "%s", "");
	if (id && !e)
		put(&b, "[stack %u unavailable]", id);
	for (u32 i = e ? e->nframes : 0; i-- > 0;) {
		put_frame(&b, e, VT_STACK_NAME, e->frames[i], 0);
		if (i)
			put(&b, ";");
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

void stacks_prefetch(void)
{
	const struct vt_stack_hdr *h;
	const struct vt_stack_ent *e;

	if (!st.fetch)
		return;
	free(st.table);
	st.table = st.fetch(st.ctx, &st.size);
	h = st.table;
	if (!h || st.size < sizeof(*h) || h->magic != VT_STACK_MAGIC ||
	    vt_stacks_size(h->max_stacks) != st.size ||
	    h->used > h->max_stacks)
		return;
	for (; st.seen < h->used; st.seen++) {
		e = vt_stack_entry(st.table, st.size, st.seen + 1);
		if (e && e->kind == VT_STACK_KIND_USER)
			usyms_note(e->pid);
	}
}

u64 stacks_drops(u32 *max)
{
	const struct vt_stack_hdr *h;

	if (st.fetch) {
		free(st.table);
		st.table = st.fetch(st.ctx, &st.size);
	}
	h = st.table;
	if (!h || st.size < sizeof(*h))
		return 0;
	*max = h->max_stacks;
	return h->drops;
}

/* ------------------------------------------------ printf */

static const char *skip_digits(const char *p)
{
	while (*p >= '0' && *p <= '9')
		p++;
	return p;
}

int stacks_printf_args(const char *text, const char *sig,
		       struct vt_fmt_arg *args, u32 nargs, char *ftext,
		       char *fsig, char **owned)
{
	const char *p = text;
	u32 i = 0;

	strcpy(ftext, text);
	strcpy(fsig, sig);
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
			break;
		if (*p == VT_FMT_STACK && i < nargs && fsig[i] == 'l') {
			char *t = stacks_text(args[i].l);

			if (!t)
				return -1;
			owned[i] = t;
			ftext[p - text] = 's';
			fsig[i] = 's';
			args[i].s = t;
			args[i].slen = (u32)strlen(t);
		}
		i++;
		p++;
	}
	return 0;
}

void stacks_free_texts(char **owned)
{
	for (u32 i = 0; i < VT_FORMAT_ARGS_MAX; i++) {
		free(owned[i]);
		owned[i] = NULL;
	}
}
