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

static enum vt_fault vt_helper_exit(struct vt_call *call)
{
	vt_host_exit(call->ex->host);
	return VT_FAULT_NONE;
}

#define VT_HELPER_IMPL(name, ret, nl, ns) [VT_HELPER_##name] = vt_helper_##name,
const vt_helper_fn vt_helper_impl[VT_HELPER_COUNT] = {
	VT_HELPERS(VT_HELPER_IMPL)
};
#undef VT_HELPER_IMPL
