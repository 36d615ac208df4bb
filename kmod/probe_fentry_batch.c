// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_fentry_batch.c - the batch backend of kernel function entries:
 * KPROBE probes whose address is known, armed through one ftrace_ops per
 * session.  Registering one kprobe per function costs one ftrace update
 * (text patching, several RCU grace periods) per function; here every
 * function entry of a session is set as one filter and armed by one
 * register_ftrace_function, and disarmed by one unregister.
 *
 * User space passes the symbol's address in vt_probe_desc.offset (0:
 * unknown, the probe becomes a kprobe by name).  An address is used only
 * if the kernel's symbol table names @target at offset 0 there, outside
 * any module (so never in vtrace.ko), and ftrace accepts it as a traced
 * function; anything else falls back to a kprobe, which applies the
 * kernel's own checks.  ftrace refuses a whole filter for one untraceable
 * address, so only then is each address tried alone (on a scratch ops).
 *
 * The kprobe provider (probe_kprobe.c) owns the one batch of a session:
 * it makes it at prepare, adds each KPROBE probe at attach, arms it after
 * the last one (kprobes for the probes it refused) and frees it first at
 * detach (probe_fentry_batch.h).
 *
 * Invariants: ent[0..n) are the armed entries, sorted by (addr, probe)
 * before the ops is registered and not changed until it is unregistered;
 * the callback only reads them.  ent[n..nall) are the ones ftrace refused
 * (vt_fentry_batch_refused).  No callback runs once vt_fentry_batch_free
 * returned (unregister_ftrace_function waits for them).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "session.h"
#include "probe_fentry_batch.h"

/*
 * Largest distance from a symbol to its ftrace call site: 0, or 4 after
 * an ENDBR64 (IBT kernels such as Debian's 6.12).
 */
#define VT_FENTRY_MAX_OFF	16

struct vt_fentry {
	unsigned long addr;		/* the symbol's address */
	u32 probe;			/* index in prog.probes */
};

struct vt_fentry_batch {
	struct ftrace_ops ops;		/* the one registered */
	struct ftrace_ops check;	/* never registered: tests one address */
	struct vt_session *s;
	struct vt_fentry *ent;		/* queued probes */
	unsigned long *ips;		/* their distinct addresses */
	u32 n;				/* armed */
	u32 nall, cap;			/* queued */
	bool armed;
};

/* The first entry of the function whose ftrace call site is @ip, or n. */
static u32 vt_fentry_batch_find(const struct vt_fentry_batch *ft,
				unsigned long ip)
{
	u32 lo = 0, hi = ft->n;
	unsigned long addr;

	/* hi: the first entry with addr > ip */
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (ft->ent[mid].addr <= ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!hi || ip - ft->ent[hi - 1].addr > VT_FENTRY_MAX_OFF)
		return ft->n;
	addr = ft->ent[hi - 1].addr;
	while (hi > 0 && ft->ent[hi - 1].addr == addr)
		hi--;
	return hi;
}
NOKPROBE_SYMBOL(vt_fentry_batch_find);

static void vt_fentry_batch_hit(unsigned long ip, unsigned long parent_ip,
				struct ftrace_ops *ops,
				struct ftrace_regs *fregs)
{
	struct vt_fentry_batch *ft = container_of(ops, struct vt_fentry_batch,
						  ops);
	struct pt_regs *regs;
	unsigned long addr;
	u32 i;
	int bit;

	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (bit < 0)
		return;
	/* Functions run where RCU does not watch (idle) are not traced. */
	if (unlikely(!rcu_is_watching()))
		goto out;
	regs = ftrace_get_regs(fregs);
	i = vt_fentry_batch_find(ft, ip);
	if (i == ft->n)
		goto out;
	/* Aliases (several names at one address) fire in probe order. */
	addr = ft->ent[i].addr;
	for (; i < ft->n && ft->ent[i].addr == addr; i++) {
		/* the stack's first frame: the call site, as a kprobe's */
		struct vt_firing f = { .probe = ft->ent[i].probe,
				       .regs = regs, .pc = ip };

		vt_fire_ctx(ft->s, ft->s->prog.probes[f.probe].unit, false,
			    &f);
	}
out:
	ftrace_test_recursion_unlock(bit);
}
NOKPROBE_SYMBOL(vt_fentry_batch_hit);

u64 vt_fentry_batch_bytes(u32 count)
{
	return sizeof(struct vt_fentry_batch) +
	       (u64)count * (sizeof(struct vt_fentry) + sizeof(unsigned long));
}

struct vt_fentry_batch *vt_fentry_batch_new(struct vt_session *s, u32 count)
{
	struct vt_fentry_batch *ft;

	ft = kzalloc(sizeof(*ft), GFP_KERNEL_ACCOUNT);
	if (!ft)
		return NULL;
	ft->ent = kvcalloc(count, sizeof(*ft->ent), GFP_KERNEL_ACCOUNT);
	ft->ips = kvcalloc(count, sizeof(*ft->ips), GFP_KERNEL_ACCOUNT);
	ft->cap = count;
	ft->s = s;
	ft->ops.func = vt_fentry_batch_hit;
	/* RECURSION: the callback guards itself (trylock above). */
	ft->ops.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_RECURSION;
	if (!ft->ent || !ft->ips) {
		vt_fentry_batch_free(ft);
		return NULL;
	}
	return ft;
}

/* The kernel's symbol table names @sym at offset 0 of @addr, in vmlinux. */
static bool vt_symbol_entry_is(unsigned long addr, const char *sym)
{
	char buf[KSYM_SYMBOL_LEN];
	size_t len = strlen(sym);

	/* "name+0x0/0xsize", and " [module]" after it in a module */
	sprint_symbol(buf, addr);
	return !strncmp(buf, sym, len) && !strncmp(buf + len, "+0x0/", 5) &&
	       !strchr(buf, '[');
}

int vt_fentry_batch_add(struct vt_fentry_batch *ft, u32 probe)
{
	const struct vt_prog *p = &ft->s->prog;
	const struct vt_probe_desc *pd = &p->probes[probe];
	unsigned long addr = (unsigned long)pd->offset;

	if (!addr || ft->nall >= ft->cap || ft->armed)
		return -ENOENT;
	if (!vt_symbol_entry_is(addr, vt_prog_str(p, pd->target)) ||
	    vt_addr_is_ours((void *)addr))
		return -ENOENT;
	ft->ent[ft->nall].addr = addr;
	ft->ent[ft->nall].probe = probe;
	ft->nall++;
	return 0;
}

static int vt_fentry_cmp(const void *a, const void *b)
{
	const struct vt_fentry *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->probe < y->probe ? -1 : x->probe > y->probe;
}

/* The distinct addresses of ent[0..n) into ips[]; their count. */
static u32 vt_fentry_batch_ips(struct vt_fentry_batch *ft)
{
	u32 i, nips = 0;

	for (i = 0; i < ft->n; i++)
		if (!nips || ft->ips[nips - 1] != ft->ent[i].addr)
			ft->ips[nips++] = ft->ent[i].addr;
	return nips;
}

/*
 * Try each address alone (ftrace maps sym+0 to its call site): keep the
 * entries ftrace accepts in ent[0..n), in order, and move the others to
 * ent[n..nall) (ips[] holds their probes meanwhile).
 */
static void vt_fentry_batch_weed(struct vt_fentry_batch *ft)
{
	unsigned long addr = 0;
	u32 i, n = 0, nbad = 0;
	bool ok = false;

	for (i = 0; i < ft->nall; i++) {
		if (!i || ft->ent[i].addr != addr) {
			addr = ft->ent[i].addr;
			ok = !ftrace_set_filter_ip(&ft->check, addr, 0, 1);
			cond_resched();
		}
		if (ok)
			ft->ent[n++] = ft->ent[i];
		else
			ft->ips[nbad++] = ft->ent[i].probe;
	}
	ft->n = n;
	for (i = 0; i < nbad; i++) {
		ft->ent[n + i].addr = 0;
		ft->ent[n + i].probe = ft->ips[i];
	}
}

void vt_fentry_batch_arm(struct vt_fentry_batch *ft)
{
	int ret;

	if (!ft->nall)
		return;
	ft->n = ft->nall;
	sort(ft->ent, ft->n, sizeof(*ft->ent), vt_fentry_cmp, NULL);
	/* one filter for all; one address ftrace refuses fails the lot */
	ret = ftrace_set_filter_ips(&ft->ops, ft->ips, vt_fentry_batch_ips(ft),
				    0, 1);
	if (ret == -EINVAL) {
		vt_fentry_batch_weed(ft);
		if (!ft->n)
			return;
		ret = ftrace_set_filter_ips(&ft->ops, ft->ips,
					    vt_fentry_batch_ips(ft), 0, 1);
	}
	if (!ret)
		ret = register_ftrace_function(&ft->ops);
	if (ret) {
		pr_debug("ftrace refused %u functions (%d): kprobes instead\n",
			 ft->n, ret);
		ftrace_free_filter(&ft->ops);
		ft->n = 0;
		return;
	}
	ft->armed = true;
}

u32 vt_fentry_batch_nrefused(const struct vt_fentry_batch *ft)
{
	return ft->nall - ft->n;
}

u32 vt_fentry_batch_refused(const struct vt_fentry_batch *ft, u32 i)
{
	return ft->ent[ft->n + i].probe;
}

void vt_fentry_batch_free(struct vt_fentry_batch *ft)
{
	if (!ft)
		return;
	if (ft->armed)
		unregister_ftrace_function(&ft->ops);
	ftrace_free_filter(&ft->ops);
	ftrace_free_filter(&ft->check);
	kvfree(ft->ips);
	kvfree(ft->ent);
	kfree(ft);
}
