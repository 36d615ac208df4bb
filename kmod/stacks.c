// SPDX-License-Identifier: GPL-2.0-only
/*
 * stacks.c - the session's stack table (vm/stack.h) and the kernel
 * stacks the VM stores in it (vt_host_kstack).
 *
 * Invariants:
 *  - The table is allocated at START when the image asks for one
 *    (header nstacks > 0: the verifier lets _kstack and _addr_ref run
 *    only then), before anything fires, and freed at release; firings
 *    only fill it (lock-free, stack.h), so it never allocates.
 *  - A firing captures into its own CPU and context's buffer
 *    (vt_cpu.kstack, VT_STACK_DEPTH frames, allocated at START with the
 *    frame), valid until the firing ends.
 *  - Probe-handler frames are not part of a stack: with the probed
 *    context's registers the walk starts at them (as the kernel's
 *    stack_trace_save_regs(), which is not exported, does); without, it
 *    starts here and skips the frames inside this module.  A context in
 *    user mode has an empty kernel stack.  The first frame of a kprobe
 *    is the probed address (vt_firing.pc), not regs->ip, which the
 *    kernel sets past the breakpoint while the handler runs.
 *  - User stacks (vt_host_ustack) follow frame pointers from the user
 *    registers (the probe's, or the task's saved ones in a kernel
 *    probe), each frame read with copy_from_user_nofault (no fault, any
 *    context); DWARF unwinding is not done here.
 */
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>
#include <asm/unwind.h>

#include "session.h"
#include "stack.h"

u64 vt_stacks_bytes(const struct vt_session *s)
{
	return vt_stacks_size(s->prog.nstacks);
}

int vt_stacks_alloc(struct vt_session *s)
{
	u64 size = vt_stacks_size(s->prog.nstacks);

	if (!size)
		return 0;
	s->stacks = kvmalloc(size, GFP_KERNEL_ACCOUNT);
	if (!s->stacks)
		return -ENOMEM;
	vt_stacks_init(s->stacks, s->prog.nstacks);
	return 0;
}

void vt_stacks_free(struct vt_session *s)
{
	kvfree(s->stacks);
	s->stacks = NULL;
}

u32 vt_host_kstack(void *host, const u64 **frames)
{
	struct vt_cpu *c = host;
	const struct vt_firing *f = c->firing;
	struct pt_regs *regs = f ? f->regs : NULL;
	struct unwind_state st;
	unsigned long addr;
	bool skipping = !regs;
	u32 n = 0;

	*frames = c->kstack;
	if (regs && user_mode(regs))
		return 0;
	if (regs)
		c->kstack[n++] = f->pc ? f->pc : regs->ip;
	for (unwind_start(&st, current, regs, NULL);
	     !unwind_done(&st) && n < VT_STACK_DEPTH; unwind_next_frame(&st)) {
		addr = unwind_get_return_address(&st);
		if (!addr)
			break;
		if (skipping && within_module(addr, THIS_MODULE))
			continue;
		skipping = false;
		c->kstack[n++] = addr;
	}
	return n;
}
NOKPROBE_SYMBOL(vt_host_kstack);

/* The user registers of the firing's task, or NULL (a kernel thread). */
static struct pt_regs *vt_user_regs(const struct vt_firing *f)
{
	if (f && f->regs && user_mode(f->regs))
		return f->regs;
	if ((f && f->task && f->task != current) || !current->mm ||
	    (current->flags & PF_KTHREAD))
		return NULL;
	return task_pt_regs(current);
}

/*
 * Frame pointers: each frame at fp holds the caller's fp, then the
 * return address; fps must grow (the stack grows down) and be 8-aligned,
 * and the first unreadable or 0 one ends the walk.  At a uprobe on a
 * function's entry the frame is not set up yet: the return address is
 * at sp, and bp is still the caller's.
 */
u32 vt_host_ustack(void *host, const u64 **frames)
{
	struct vt_cpu *c = host;
	const struct vt_firing *f = c->firing;
	struct pt_regs *regs = vt_user_regs(f);
	u64 fp, fr[2];
	u32 n = 0;

	*frames = c->kstack;
	if (!regs)
		return 0;
	c->kstack[n++] = regs->ip;
	if (f && c->s->prog.probes[f->probe].type == VT_PROBE_UPROBE &&
	    !copy_from_user_nofault(&fr[1], (void __user *)regs->sp, 8) &&
	    fr[1])
		c->kstack[n++] = fr[1];
	for (fp = regs->bp; n < VT_STACK_DEPTH; fp = fr[0]) {
		if (!fp || (fp & 7) ||
		    copy_from_user_nofault(fr, (void __user *)fp, sizeof(fr)) ||
		    !fr[1])
			break;
		c->kstack[n++] = fr[1];
		if (fr[0] <= fp)
			break;
	}
	return n;
}
NOKPROBE_SYMBOL(vt_host_ustack);
