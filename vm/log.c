// SPDX-License-Identifier: GPL-2.0-only
/*
 * log.c - the loader's and the verifier's message buffer (struct vt_log,
 * vt_priv.h): bounded formatting of load errors, the place prefix of an
 * instruction's message, and the load-work counter that asks the host
 * whether to go on (vt_load_step).
 *
 * Invariant: lg->buf is NUL-terminated within lg->size bytes after every
 * call (vt_format's guarantee); text past the end is dropped, and
 * lg->len then stays at lg->size.
 */
#include "vt_priv.h"

void vt_log_init(struct vt_log *lg, char *buf, u32 size)
{
	memset(lg, 0, sizeof(*lg));
	lg->buf = buf;
	lg->size = buf ? size : 0;
	lg->next_yield = VT_LOAD_YIELD_STEPS;
	if (lg->size)
		buf[0] = '\0';
}

void vt_log_fmt(struct vt_log *lg, const char *fmt, const char *sig,
		const struct vt_fmt_arg *args, u32 nargs)
{
	u32 n;

	if (lg->len >= lg->size)
		return;
	n = vt_format(lg->buf + lg->len, lg->size - lg->len, fmt, sig, args,
		      nargs);
	lg->len = n > lg->size - lg->len ? lg->size : lg->len + n;
}

int vt_load_yield(struct vt_log *lg)
{
	lg->next_yield += VT_LOAD_YIELD_STEPS;	/* no step adds as many */
	if (!lg->stopped && vt_host_load_yield(lg->steps)) {
		lg->stopped = true;
		VT_LOG0(lg, "load interrupted");
	}
	return lg->stopped ? -1 : 0;
}

void vt_log_where(struct vt_log *lg, const struct vt_prog *prog, u32 u,
		  u32 pc)
{
	u8 op = prog->code[pc].op;

	VT_LOG(lg, "unit %d (%s) pc %d (%s): ", "lsls", VT_L(u),
	       VT_S(vt_prog_str(prog, prog->units[u].name)), VT_L(pc),
	       VT_S(op < VT_OP_COUNT ? vt_opcode_info[op].name : "?"));
}
