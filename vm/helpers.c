// SPDX-License-Identifier: GPL-2.0-only
/*
 * helpers.c - the builtin functions CALLH dispatches to.  One function
 * per VT_HELPERS entry; the table below is generated from the X-macro,
 * so adding a helper without an implementation fails to link.
 *
 * Invariant: the verifier has checked the argument vectors and the
 * destination against vt_helper_info, so call->largs / sargs hold the
 * helper's nlong / nstr arguments and lret / sret is valid for its kind.
 */
#include "vt_priv.h"
#include "stack.h"

static enum vt_fault vt_helper_execname(struct vt_call *call)
{
	vt_host_comm(call->ex->host, call->sret, call->strsize);
	call->sret[call->strsize - 1] = '\0';
	return VT_FAULT_NONE;
}

static enum vt_fault vt_helper_pid(struct vt_call *call)
{
	*call->lret = (s64)vt_host_pid(call->ex->host);
	return VT_FAULT_NONE;
}

static enum vt_fault vt_helper_tid(struct vt_call *call)
{
	*call->lret = (s64)vt_host_tid(call->ex->host);
	return VT_FAULT_NONE;
}

static enum vt_fault vt_helper_cpu(struct vt_call *call)
{
	*call->lret = (s64)vt_host_cpu(call->ex->host);
	return VT_FAULT_NONE;
}

static enum vt_fault vt_helper_gettimeofday_ns(struct vt_call *call)
{
	*call->lret = (s64)vt_host_time_ns(call->ex->host);
	return VT_FAULT_NONE;
}

/* error(msg): end the firing (or reach a catch) with @msg. */
static enum vt_fault vt_helper_error(struct vt_call *call)
{
	call->ex->fault_msg = call->sargs;
	return VT_FAULT_USER;
}

static enum vt_fault vt_helper_exit(struct vt_call *call)
{
	vt_host_exit(call->ex->host);
	return VT_FAULT_NONE;
}

/* ------------------------------------------------ probe context */

/* Copy strtab string @off into the destination slot, truncated. */
static void vt_ret_str(struct vt_call *call, u32 off)
{
	const char *src = vt_prog_str(call->ex->prog, off);
	u32 i;

	for (i = 0; i + 1 < call->strsize && src[i]; i++)
		call->sret[i] = src[i];
	call->sret[i] = '\0';
	call->work += i;
}

static const struct vt_probe_desc *vt_cur_probe(struct vt_call *call)
{
	u32 i = vt_host_probe(call->ex->host);

	return i < call->ex->prog->nprobes ? &call->ex->prog->probes[i] :
	       NULL;
}

/* The probed function: the target of a kprobe or kretprobe, else "". */
static enum vt_fault vt_helper_probefunc(struct vt_call *call)
{
	const struct vt_probe_desc *pd = vt_cur_probe(call);

	vt_ret_str(call, pd && (pd->type == VT_PROBE_KPROBE ||
				pd->type == VT_PROBE_KRETPROBE) ?
		   pd->target : 0);
	return VT_FAULT_NONE;
}

static enum vt_fault vt_helper_ppfunc(struct vt_call *call)
{
	return vt_helper_probefunc(call);
}

static enum vt_fault vt_helper_pp(struct vt_call *call)
{
	const struct vt_probe_desc *pd = vt_cur_probe(call);

	vt_ret_str(call, pd ? pd->point : 0);
	return VT_FAULT_NONE;
}

static enum vt_fault vt_helper_register(struct vt_call *call)
{
	u64 v;

	if (call->largs[0] < 0 || call->largs[0] >= VT_REG_COUNT)
		return VT_FAULT_HELPER;
	if (vt_host_reg(call->ex->host, (u32)call->largs[0], &v))
		return VT_FAULT_CONTEXT;
	*call->lret = (s64)v;
	return VT_FAULT_NONE;
}

/* Argument n (1-based) of the x86-64 calling convention. */
static enum vt_fault vt_arg(struct vt_call *call, u64 *v)
{
	static const u8 arg_regs[] = {
		VT_REG_DI, VT_REG_SI, VT_REG_DX, VT_REG_CX, VT_REG_R8, VT_REG_R9,
	};
	s64 n = call->largs[0];

	if (n < 1 || n > (s64)VT_ARRAY_SIZE(arg_regs))
		return VT_FAULT_HELPER;
	if (vt_host_reg(call->ex->host, arg_regs[n - 1], v))
		return VT_FAULT_CONTEXT;
	return VT_FAULT_NONE;
}

static enum vt_fault vt_helper_int_arg(struct vt_call *call)
{
	u64 v = 0;
	enum vt_fault f = vt_arg(call, &v);

	*call->lret = (s32)(u32)v;
	return f;
}

static enum vt_fault vt_helper_uint_arg(struct vt_call *call)
{
	u64 v = 0;
	enum vt_fault f = vt_arg(call, &v);

	*call->lret = (u32)v;
	return f;
}

static enum vt_fault vt_helper_long_arg(struct vt_call *call)
{
	u64 v = 0;
	enum vt_fault f = vt_arg(call, &v);

	*call->lret = (s64)v;
	return f;
}

static enum vt_fault vt_helper_ulong_arg(struct vt_call *call)
{
	return vt_helper_long_arg(call);
}

static enum vt_fault vt_helper_pointer_arg(struct vt_call *call)
{
	return vt_helper_long_arg(call);
}

/* 1 if the probed context was in user mode (CS privilege level 3). */
static enum vt_fault vt_helper_user_mode(struct vt_call *call)
{
	u64 cs;

	if (vt_host_reg(call->ex->host, VT_REG_CS, &cs))
		return VT_FAULT_CONTEXT;
	*call->lret = (cs & 3) == 3;
	return VT_FAULT_NONE;
}

/* ------------------------------------------------ event fields */

/* A number of 1, 2, 4 or 8 bytes at @off; size < 0: sign-extended. */
static enum vt_fault vt_helper__tp_long(struct vt_call *call)
{
	s64 off = call->largs[0], sz = call->largs[1];
	u64 n = sz < 0 ? 0 - (u64)sz : (u64)sz;	/* no -INT64_MIN */
	union { u8 b; u16 h; u32 w; u64 d; } v;

	if (off < 0 || off > 0xffff || (n != 1 && n != 2 && n != 4 && n != 8))
		return VT_FAULT_HELPER;
	if (vt_host_event(call->ex->host, &v, (u32)off, (u32)n))
		return VT_FAULT_CONTEXT;
	if (n == 1)
		*call->lret = sz < 0 ? (s64)(s8)v.b : (s64)v.b;
	else if (n == 2)
		*call->lret = sz < 0 ? (s64)(s16)v.h : (s64)v.h;
	else if (n == 4)
		*call->lret = sz < 0 ? (s64)(s32)v.w : (s64)v.w;
	else
		*call->lret = (s64)v.d;
	return VT_FAULT_NONE;
}

/* @len bytes at @off into the slot, up to the first NUL, truncated. */
static enum vt_fault vt_event_str(struct vt_call *call, s64 off, s64 len)
{
	u32 n, i;

	if (off < 0 || off > 0xffff || len < 0 || len > 0xffff)
		return VT_FAULT_HELPER;
	n = (u32)len < call->strsize - 1 ? (u32)len : call->strsize - 1;
	if (vt_host_event(call->ex->host, call->sret, (u32)off, n)) {
		call->sret[0] = '\0';
		return VT_FAULT_CONTEXT;
	}
	for (i = 0; i < n && call->sret[i]; i++)
		;
	call->sret[i] = '\0';
	call->work += n + i;	/* copied, then scanned */
	return VT_FAULT_NONE;
}

static enum vt_fault vt_helper__tp_chars(struct vt_call *call)
{
	return vt_event_str(call, call->largs[0], call->largs[1]);
}

/* A __data_loc field: a u32, offset in the low 16 bits, length high. */
static enum vt_fault vt_helper__tp_dataloc(struct vt_call *call)
{
	u32 loc;

	if (call->largs[0] < 0 || call->largs[0] > 0xffff)
		return VT_FAULT_HELPER;
	if (vt_host_event(call->ex->host, &loc, (u32)call->largs[0], 4))
		return VT_FAULT_CONTEXT;
	return vt_event_str(call, loc & 0xffff, loc >> 16);
}

/* The task pid() and execname() describe, as an address (a long). */
static enum vt_fault vt_helper_task_current(struct vt_call *call)
{
	*call->lret = (s64)vt_host_task(call->ex->host);
	return VT_FAULT_NONE;
}

/* -x PID or -c CMD's pid, else 0 (the image header's target_pid). */
static enum vt_fault vt_helper_target(struct vt_call *call)
{
	*call->lret = call->ex->prog->hdr->target_pid;
	return VT_FAULT_NONE;
}

/* ------------------------------------------------ stacks (stack.h) */

static bool vt_stack_mode_ok(s64 mode)
{
	return mode >= 0 && mode < VT_STACK_MODE_COUNT;
}

/* _kstack's and _ustack's (skip, max, mode) and the table: usable? */
static bool vt_stack_args_ok(const struct vt_call *call)
{
	s64 skip = call->largs[0], max = call->largs[1];

	return skip >= 0 && skip < VT_STACK_DEPTH && max >= 1 &&
	       max <= VT_STACK_DEPTH && vt_stack_mode_ok(call->largs[2]) &&
	       call->ex->stacks;
}

/* Frames skip .. skip + max - 1 of the @n at @frames, stored; the
 * reference in the call's result.  vt_stack_args_ok() held. */
static void vt_stack_store(struct vt_call *call, const u64 *frames, u32 n,
			   u32 kind, u32 pid)
{
	u32 skip = (u32)call->largs[0], max = (u32)call->largs[1], id;

	n = n > skip ? n - skip : 0;
	n = n < max ? n : max;
	id = vt_stack_insert(call->ex->stacks, frames + skip, n, kind, pid,
			     &call->work);
	*call->lret = VT_STACKREF(id, call->largs[2]);
}

/*
 * _kstack(skip, max, mode): frames skip .. skip + max - 1 of the kernel
 * stack the host captured, stored; the stack reference.  The verifier
 * allows the call only with a table (header nstacks > 0).
 */
static enum vt_fault vt_helper__kstack(struct vt_call *call)
{
	const u64 *frames;
	u32 n;

	if (!vt_stack_args_ok(call))
		return VT_FAULT_HELPER;
	n = vt_host_kstack(call->ex->host, &frames);
	call->work += VT_COST_BYTES * 4;	/* the unwinder's walk */
	vt_stack_store(call, frames, n, VT_STACK_KIND_KERNEL, 0);
	return VT_FAULT_NONE;
}

/*
 * _ustack(skip, max, mode): the same for the current process's user
 * stack (vt_host_ustack: frame pointers), stored with its pid.
 */
static enum vt_fault vt_helper__ustack(struct vt_call *call)
{
	const u64 *frames;
	u32 n;

	if (!vt_stack_args_ok(call))
		return VT_FAULT_HELPER;
	n = vt_host_ustack(call->ex->host, &frames);
	call->work += VT_COST_BYTES * (n + 1);	/* a user read per frame */
	vt_stack_store(call, frames, n, VT_STACK_KIND_USER,
		       (u32)vt_host_pid(call->ex->host));
	return VT_FAULT_NONE;
}

static enum vt_fault vt_helper__stack_mode(struct vt_call *call)
{
	if (!vt_stack_mode_ok(call->largs[1]))
		return VT_FAULT_HELPER;
	*call->lret = VT_STACKREF(VT_STACKREF_ID(call->largs[0]),
				  call->largs[1]);
	return VT_FAULT_NONE;
}

/* _addr_ref(addr, mode): @addr as a one-frame kernel stack. */
static enum vt_fault vt_helper__addr_ref(struct vt_call *call)
{
	u64 addr = (u64)call->largs[0];
	u32 id;

	if (!vt_stack_mode_ok(call->largs[1]) || !call->ex->stacks)
		return VT_FAULT_HELPER;
	id = vt_stack_insert(call->ex->stacks, &addr, 1,
			     VT_STACK_KIND_KERNEL, 0, &call->work);
	*call->lret = VT_STACKREF(id, call->largs[1]);
	return VT_FAULT_NONE;
}

/* _kframe(n): the return address n frames up (0: the probed pc). */
static enum vt_fault vt_helper__kframe(struct vt_call *call)
{
	const u64 *frames;
	u32 n;

	if (call->largs[0] < 0 || call->largs[0] >= VT_STACK_DEPTH)
		return VT_FAULT_HELPER;
	n = vt_host_kstack(call->ex->host, &frames);
	call->work += VT_COST_BYTES * 4;
	*call->lret = (u64)call->largs[0] < n ?
		      (s64)frames[call->largs[0]] : 0;
	return VT_FAULT_NONE;
}

#define VT_HELPER_IMPL(name, ret, nl, ns) [VT_HELPER_##name] = vt_helper_##name,
const vt_helper_fn vt_helper_impl[VT_HELPER_COUNT] = {
	VT_HELPERS(VT_HELPER_IMPL)
};
#undef VT_HELPER_IMPL
