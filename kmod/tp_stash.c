// SPDX-License-Identifier: GPL-2.0-only
/*
 * tp_stash.c - a tracepoint's arguments for the perf overflow handler of
 * a probe that reads both arguments and format fields (tp_stash.h).
 *
 * Two callbacks on the tracepoint bracket perf's: vt_tp_open, registered
 * at TRACEPOINT_DEFAULT_PRIO + 1, is called before perf's handler (which
 * trace_event_reg registers at the default priority; the tracepoint calls
 * higher priorities first), vt_tp_close at TRACEPOINT_DEFAULT_PRIO - 1
 * after it, all three in one pass over the tracepoint's callbacks, with
 * preemption off.  Per CPU and per context level (enum vt_ctx, as
 * firings), a level keeps the depth of brackets open and the arguments of
 * the outermost.  Calls at one level of one CPU never interleave: one
 * nests inside another (a tracepoint hit inside a callback) or follows it.
 *
 * Invariant: vt_tp_stash_take gives the perf handler of call X arguments
 * only if they are X's.  It gives them when exactly one bracket is open
 * at its level and no bracket opened there since that one (valid).  If
 * X's pass has vt_tp_open, that bracket is X's, opened with depth 0, so
 * it wrote X's arguments.  X's pass lacks vt_tp_open only while the
 * stash attaches or detaches: at attach, vt_tp_close is registered
 * before vt_tp_open and both before our perf counters are opened, so
 * every pass with vt_tp_open closes its bracket, and a pass that has
 * only vt_tp_close does not nest in one that has both (a CPU never
 * goes back to an older array of callbacks): depth is 0 for X; at
 * detach, our perf counters are released (which removes them from the
 * CPU's list of counters of this tracepoint, on that CPU) before
 * vt_tp_open is unregistered, so a pass without it no longer reaches
 * our handler.  Anything else (a nested call, an argument-less pass)
 * gets NULL: int_arg() then faults CONTEXT, never reads a stale value.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/ptrace.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "session.h"
#include "tp_stash.h"

struct vt_tp_level {
	u32 depth;		/* brackets open at this level */
	bool valid;		/* a[] is the outermost's, none opened since */
	u64 a[6];
};

struct vt_tp_cpu {
	struct vt_tp_level lv[VT_CTX_COUNT];
};

static void vt_tp_open(void *data, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5,
		       u64 a6)
{
	struct vt_tp_stash *st = data;
	struct vt_tp_level *l;

	if (preemptible())	/* not on 6.1, 6.12: then the CPU could change */
		return;
	l = &this_cpu_ptr(st->pc)->lv[vt_context()];
	l->valid = l->depth++ == 0;
	if (!l->valid)
		return;
	l->a[0] = a1;
	l->a[1] = a2;
	l->a[2] = a3;
	l->a[3] = a4;
	l->a[4] = a5;
	l->a[5] = a6;
}
NOKPROBE_SYMBOL(vt_tp_open);

static void vt_tp_close(void *data)
{
	struct vt_tp_stash *st = data;
	struct vt_tp_level *l;

	if (preemptible())
		return;
	l = &this_cpu_ptr(st->pc)->lv[vt_context()];
	if (l->depth)	/* 0: a pass that had no vt_tp_open (attach, detach) */
		l->depth--;
}
NOKPROBE_SYMBOL(vt_tp_close);

struct pt_regs *vt_tp_stash_take(struct vt_tp_stash *st, struct pt_regs *regs)
{
	const struct vt_tp_level *l;

	if (preemptible())
		return NULL;
	l = &this_cpu_ptr(st->pc)->lv[vt_context()];
	if (l->depth != 1 || !l->valid)
		return NULL;
	regs->di = l->a[0];
	regs->si = l->a[1];
	regs->dx = l->a[2];
	regs->cx = l->a[3];
	regs->r8 = l->a[4];
	regs->r9 = l->a[5];
	return regs;
}
NOKPROBE_SYMBOL(vt_tp_stash_take);

struct vt_tp_find {
	const char *name;
	struct tracepoint *tp;
};

static void vt_tp_match(struct tracepoint *tp, void *priv)
{
	struct vt_tp_find *f = priv;

	if (!f->tp && !strcmp(tp->name, f->name))
		f->tp = tp;
}

struct tracepoint *vt_tracepoint_find(const char *name)
{
	struct vt_tp_find find = { .name = name };

	for_each_kernel_tracepoint(vt_tp_match, &find);
	return find.tp;
}

/* The per-CPU levels, and the kernel's two callback entries. */
u64 vt_tp_stash_bytes(void)
{
	return (u64)nr_cpu_ids * sizeof(struct vt_tp_cpu) +
	       4 * sizeof(struct tracepoint_func);
}

int vt_tp_stash_attach(struct vt_tp_stash *st, const char *name)
{
	int ret;

	st->tp = vt_tracepoint_find(name);
	if (!st->tp)
		return -ENOENT;
	st->pc = alloc_percpu_gfp(struct vt_tp_cpu, GFP_KERNEL_ACCOUNT);
	if (!st->pc)
		return -ENOMEM;
	/* close before open: every pass that opens a bracket closes it */
	ret = tracepoint_probe_register_prio(st->tp, vt_tp_close, st,
					     TRACEPOINT_DEFAULT_PRIO - 1);
	if (ret)
		return ret;
	st->close = true;
	ret = tracepoint_probe_register_prio(st->tp, vt_tp_open, st,
					     TRACEPOINT_DEFAULT_PRIO + 1);
	st->open = !ret;
	return ret;
}

/* Open before close: the reverse of the attach. */
bool vt_tp_stash_detach(struct vt_tp_stash *st)
{
	bool any = st->open || st->close;

	if (st->open && tracepoint_probe_unregister(st->tp, vt_tp_open, st))
		pr_warn("cannot unregister from tracepoint %s\n", st->tp->name);
	st->open = false;
	if (st->close && tracepoint_probe_unregister(st->tp, vt_tp_close, st))
		pr_warn("cannot unregister from tracepoint %s\n", st->tp->name);
	st->close = false;
	return any;
}

void vt_tp_stash_free(struct vt_tp_stash *st)
{
	free_percpu(st->pc);
	st->pc = NULL;
}
