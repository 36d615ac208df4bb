// SPDX-License-Identifier: GPL-2.0-only
/*
 * frame.c - the frame layout rule (vt_vm.h, "Frame memory"), the one
 * place it is written: the compiler sizes its units with it, the loader
 * sets prog->frame_size and prog->stack_off with it, and the interpreter
 * steps from frame to frame with vt_unit_stack_bytes().
 */
#include "vt_vm.h"

void vt_frame_add_unit(struct vt_frame_layout *fl, u32 nregs, u32 nslots,
		       u32 strsize, bool function)
{
	u64 frame = vt_unit_frame(nregs, nslots, strsize);
	u64 rounded = vt_unit_stack_bytes(nregs, nslots, strsize);

	if (frame > fl->unit_max)
		fl->unit_max = frame;
	if (rounded > fl->stack_max)
		fl->stack_max = rounded;
	if (function) {
		fl->functions = true;
		if (rounded > fl->fn_max)
			fl->fn_max = rounded;
	}
}

void vt_frame_layout(struct vt_frame_layout *fl, u32 maxnesting,
		     u32 scratch)
{
	if (fl->functions) {
		fl->stack_off = (u64)VT_CALLREC_BYTES * maxnesting;
		fl->frames = fl->stack_off + fl->stack_max +
			     (u64)maxnesting * fl->fn_max;
	} else {
		fl->stack_off = 0;
		fl->frames = fl->unit_max;
	}
	fl->size = fl->frames;
	if (scratch)
		fl->size = ((fl->frames + 7) & ~(u64)7) + scratch;
}
