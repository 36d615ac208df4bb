// SPDX-License-Identifier: GPL-2.0-only
/*
 * isa.c - the opcode and helper description tables, generated from the
 * X-macros in vt_isa.h so that they cannot drift from the enums.
 */
#include "vt_compat.h"
#include "vt_isa.h"

#define VT_OPINFO(op, fa, fb, fc, fk)					\
	[VT_OP_##op] = {						\
		.name = #op,						\
		.fmt = { VT_FMT_##fa, VT_FMT_##fb, VT_FMT_##fc, VT_FMT_##fk }, \
	},
const struct vt_opcode_info vt_opcode_info[VT_OP_COUNT] = {
	VT_OPCODES(VT_OPINFO)
};
#undef VT_OPINFO

#define VT_HELPERINFO(hname, hret, hnl, hns)				\
	[VT_HELPER_##hname] = {						\
		.name = #hname,						\
		.ret = VT_KIND_##hret,					\
		.nlong = hnl,						\
		.nstr = hns,						\
	},
const struct vt_helper_info vt_helper_info[VT_HELPER_COUNT] = {
	VT_HELPERS(VT_HELPERINFO)
};
#undef VT_HELPERINFO
