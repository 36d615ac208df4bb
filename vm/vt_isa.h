/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * vt_isa.h - the vtrace instruction set: the one place where the compiler
 * and the VM meet.  Each opcode and each helper is defined once here; the
 * enum, the names, the operand formats the verifier checks, the
 * disassembler's listing and the interpreter's jump table are all
 * generated from these tables.  Part of ABI version VT_ABI_VERSION.
 *
 * Machine model: a frame has nregs 64-bit registers and nslots string
 * slots of strsize bytes (NUL-terminated, never longer than strsize - 1).
 * Every instruction is 8 bytes: op, a, b, c, k.
 */
#ifndef VT_ISA_H
#define VT_ISA_H

#include "vtrace_uapi.h"

struct vt_insn {
	__u8 op;
	__u8 a;
	__u8 b;
	__u8 c;
	__s32 k;
};

/*
 * Bytes of one entry of section @id (enum vt_section_id), the one
 * definition: the loader requires each section header's entsize to say
 * the same (prog.c); 0 for an id past VT_SECT_COUNT.
 */
static inline __u32 vt_sect_entsize(unsigned int id)
{
	switch (id) {
	case VT_SECT_CODE:	return sizeof(struct vt_insn);
	case VT_SECT_UNITS:	return sizeof(struct vt_unit_desc);
	case VT_SECT_CONSTS:	return sizeof(__s64);
	case VT_SECT_STRTAB:	return 1;
	case VT_SECT_LGLOBALS:
	case VT_SECT_SGLOBALS:	return sizeof(struct vt_global_desc);
	case VT_SECT_PROBES:	return sizeof(struct vt_probe_desc);
	case VT_SECT_FORMATS:	return sizeof(struct vt_format_desc);
	case VT_SECT_LINES:	return sizeof(struct vt_line_desc);
	case VT_SECT_USIGS:	return sizeof(__u32);
	case VT_SECT_HANDLERS:	return sizeof(struct vt_handler_desc);
	case VT_SECT_DFAS:	return sizeof(struct vt_dfa_desc);
	case VT_SECT_DFADATA:	return 1;
	case VT_SECT_MAPS:	return sizeof(struct vt_map_desc);
	case VT_SECT_ITERS:	return sizeof(struct vt_iter_desc);
	case VT_SECT_AUTOPRINT:	return sizeof(__u32);
	}
	return 0;
}

/*
 * Operand formats.  For a, b and c:
 *   _  unused, must be 0
 *   r  register read		w  register write
 *   s  slot read		t  slot write
 *   v  base register of the long arguments of k's entry (format, helper)
 *   q  base slot of the string arguments of k's entry
 *   d  destination of k's helper: a register if it returns a long, a slot
 *      if it returns a string, 0 if it returns nothing; of k's map (m):
 *      a register for a LONG map, a slot for a STRING map
 *   p  source of k's map value: a register (LONG map) or a slot (STRING)
 * For v and q with a map (k of format m or n): the map's long and
 * string keys, in keysig order.
 * For k:
 *   _  must be 0		i  any immediate
 *   j  jump: target = pc + 1 + k, inside the unit; a target at or before
 *      pc must be a LOOP instruction (the only back-edges)
 *   c  CONSTS index		z  STRTAB offset
 *   g  LGLOBALS index		h  SGLOBALS index
 *   f  FORMATS index		x  helper id (VT_HELPERS below)
 *   y  DFAS index (a regular expression)
 *   m  MAPS index			e  ITERS index
 *   n  VT_AGG_K(map, agg) (vtrace_uapi.h): a STAT map's MAPS index and
 *      an enum vt_agg
 *   u  UNITS index of a function unit (one with a signature); then v, q
 *      and d describe the callee's parameters and return kind
 *
 * Arithmetic is on signed 64-bit values and wraps; DIV and MOD fault on a
 * zero divisor and on INT64_MIN / -1.  Shift counts are taken modulo 64;
 * SHR is arithmetic.  Comparisons write 0 or 1.  SCMP writes -1, 0 or 1
 * (bytewise, like strcmp).
 *
 * Cost rule: every executed instruction costs one unit of the firing's
 * budget, plus one unit per VT_COST_BYTES bytes of work it does (rounded
 * down), so that no unit of budget stands for much more time than
 * another.  A byte of work is a byte read, compared, copied or written
 * by the instruction's loops: SLDC SMOV SGLD SGST RETS the bytes copied;
 * SCAT the bytes measured and copied; SCMP the bytes compared; MATCH
 * VT_COST_STEP per byte of the string; PRINTF the strings measured and
 * the record written; SPRINTF VT_COST_STEP per byte of format text, the
 * string arguments and the output (vt_format_frame() stops at a full
 * slot); CALL the callee's
 * frame cleared (8 bytes a register, 1 a slot) and the arguments copied
 * (the first frame of a firing is cleared before any charge, once); CALLH what the helper
 * reports (struct vt_call.work: strings measured, searched, copied,
 * written, VT_COST_STEP per digit converted or byte escaped;
 * VT_COST_BYTES per vt_host_read(), i.e. per chunk of at most
 * 64 bytes of traced memory); a fault caught by try the message copied
 * into its slot.  A charge that runs the budget out faults BUDGET at
 * that instruction, after its work.  Map instructions pay for their work
 * before doing it (vm/map.h): 1 per entry visited, 1 per 64 bytes
 * hashed, compared or copied; ITINIT max_entries for its scan and about
 * 2 n log2 n comparisons for sorting n entries; MCLR its live entries.
 *
 * Maps (vtrace_uapi.h, vm/map.h): MSET, MADD and SADD on a new key insert
 * it (fault MAPFULL when full and not wrapping).  A foreach is ITINIT,
 * then ITNEXT until it jumps out, MKEYS/MVAL for each entry, and ITEND on
 * every way out of the loop.  An iteration lives in the firing's scratch
 * (header field scratch); its register holds a scratch offset that ITNEXT
 * and ITEND check, so a forged one faults BADITER and cannot reach past
 * the scratch.  Entries deleted or inserted after ITINIT are skipped.
 * ITNEXT's entry register holds a handle naming the entry and its
 * incarnation: MKEYS faults BADITER if the entry was reused since, MVAL
 * then reads 0 / "" (the key was deleted).
 */
#define VT_COST_BYTES	64u	/* bytes of work per extra budget unit */
#define VT_COST_STEP	4u	/* bytes of work per byte of a step dearer
				 * than a copy: a DFA transition, a format
				 * character parsed, a digit converted, a
				 * byte escaped */

#define VT_OPCODES(X)							\
	X(NOP,		_, _, _, _)					\
	X(MOV,		w, r, _, _)	/* a = b */			\
	X(LDI,		w, _, _, i)	/* a = k */			\
	X(LDC,		w, _, _, c)	/* a = consts[k] */		\
	X(ADD,		w, r, r, _)	/* a = b + c */			\
	X(SUB,		w, r, r, _)					\
	X(MUL,		w, r, r, _)					\
	X(DIV,		w, r, r, _)					\
	X(MOD,		w, r, r, _)					\
	X(AND,		w, r, r, _)					\
	X(OR,		w, r, r, _)					\
	X(XOR,		w, r, r, _)					\
	X(SHL,		w, r, r, _)					\
	X(SHR,		w, r, r, _)					\
	X(NEG,		w, r, _, _)	/* a = -b */			\
	X(NOT,		w, r, _, _)	/* a = ~b */			\
	X(LNOT,		w, r, _, _)	/* a = !b */			\
	X(EQ,		w, r, r, _)	/* a = b == c */		\
	X(NE,		w, r, r, _)					\
	X(LT,		w, r, r, _)					\
	X(LE,		w, r, r, _)					\
	X(GT,		w, r, r, _)					\
	X(GE,		w, r, r, _)					\
	X(JMP,		_, _, _, j)					\
	X(JZ,		r, _, _, j)	/* if a == 0 jump */		\
	X(JNZ,		r, _, _, j)					\
	X(LOOP,		_, _, _, _)	/* marks a loop header */	\
	X(RET,		_, _, _, _)	/* end the unit */		\
	X(GLD,		w, _, _, g)	/* a = lglobal[k] */		\
	X(GST,		r, _, _, g)	/* lglobal[k] = a */		\
	X(SLDC,		t, _, _, z)	/* slot a = strtab + k */	\
	X(SMOV,		t, s, _, _)	/* slot a = slot b */		\
	X(SGLD,		t, _, _, h)	/* slot a = sglobal[k] */	\
	X(SGST,		s, _, _, h)	/* sglobal[k] = slot a */	\
	X(SCAT,		t, s, s, _)	/* slot a = b . c, truncated */	\
	X(SCMP,		w, s, s, _)	/* a = strcmp(b, c) sign */	\
	X(PRINTF,	v, q, _, f)	/* emit format k */		\
	X(CALLH,	d, v, q, x)	/* a = helper k(args) */	\
	X(CALL,		d, v, q, u)	/* a = function unit k(args) */	\
	X(RETL,		r, _, _, _)	/* return register a */		\
	X(RETS,		s, _, _, _)	/* return slot a */		\
	X(SPRINTF,	t, v, q, f)	/* slot a = format k(args) */	\
	X(MATCH,	w, s, _, y)	/* a = slot b =~ DFA k */	\
	X(MGET,		d, v, q, m)	/* a = map k[keys], 0/"" if absent */ \
	X(MSET,		p, v, q, m)	/* map k[keys] = a */		\
	X(MADD,		r, v, q, m)	/* map k[keys] += a, atomic; LONG */ \
	X(MHAS,		w, v, q, m)	/* a = [keys] in map k */	\
	X(MDEL,		_, v, q, m)	/* delete map k[keys] */	\
	X(MCLR,		_, _, _, m)	/* delete every entry of map k */ \
	X(SADD,		r, v, q, m)	/* map k[keys] <<< a; STAT */	\
	X(SGET,		w, v, q, n)	/* a = aggregate of a STAT entry; \
					 * absent: COUNT, SUM 0, else	\
					 * fault EMPTYAGG */		\
	X(SHIST,	_, v, q, m)	/* emit VT_REC_HIST of an entry	\
					 * of a STAT map with a hist */	\
	X(ITINIT,	w, r, _, e)	/* a = iteration of ITERS[k],	\
					 * at most b entries */		\
	X(ITNEXT,	w, r, _, j)	/* a = next entry of iteration b; \
					 * none left: jump */		\
	X(ITEND,	r, _, _, _)	/* free iteration a and later ones */ \
	X(MKEYS,	v, q, r, m)	/* keys of entry c of map k into \
					 * registers a.., slots b.. */	\
	X(MVAL,		d, r, _, m)	/* a = value of entry b of map k */

enum vt_opcode {
#define VT_OP_ENUM(name, fa, fb, fc, fk) VT_OP_##name,
	VT_OPCODES(VT_OP_ENUM)
#undef VT_OP_ENUM
	VT_OP_COUNT
};

/*
 * Helpers: builtin functions called by CALLH.  Columns: name (as in the
 * script language), return kind (V none, L long, S string), number of long
 * arguments, number of string arguments.  Long arguments come from
 * consecutive registers starting at b, string arguments from consecutive
 * slots starting at c.
 */
#define VT_HELPERS(X)							\
	X(execname,		S, 0, 0)	/* current task's comm */	\
	X(pid,			L, 0, 0)	/* current tgid */		\
	X(tid,			L, 0, 0)	/* current pid */		\
	X(cpu,			L, 0, 0)	/* current CPU */		\
	X(gettimeofday_ns,	L, 0, 0)	/* wall clock */		\
	X(exit,			V, 0, 0)	/* ask the session to stop */	\
	X(probefunc,		S, 0, 0)	/* probed function, or "" */	\
	X(ppfunc,		S, 0, 0)	/* same, from the point */	\
	X(pp,			S, 0, 0)	/* the probe point */		\
	X(register,		L, 1, 0)	/* VT_REG_* (sema maps names) */\
	X(int_arg,		L, 1, 0)	/* argument n (1-6), as int */	\
	X(uint_arg,		L, 1, 0)	/* as unsigned int */		\
	X(long_arg,		L, 1, 0)	/* as long */			\
	X(ulong_arg,		L, 1, 0)	/* as unsigned long */		\
	X(pointer_arg,		L, 1, 0)	/* as a pointer */	\
	X(_tp_long,		L, 2, 0)	/* event field (off, size;	\
						 * size < 0: signed) */		\
	X(_tp_chars,		S, 2, 0)	/* char field[N] (off, N) */	\
	X(_tp_dataloc,		S, 1, 0)	/* __data_loc char[] (off) */	\
	X(user_mode,		L, 0, 0)	/* probed context in user mode */ \
	X(strlen,		L, 0, 1)	/* string tapset: strfuncs.c */	\
	X(substr,		S, 2, 1)	/* (str, start, length) */	\
	X(stringat,		L, 1, 1)	/* (str, pos) */		\
	X(isinstr,		L, 0, 2)					\
	X(strpos,		L, 0, 2)					\
	X(str_replace,		S, 0, 3)					\
	X(strtol,		L, 1, 1)	/* (str, base) */		\
	X(isdigit,		L, 0, 1)					\
	X(text_str,		S, 0, 1)					\
	X(text_strn,		S, 2, 1)	/* (str, len, quoted) */	\
	X(string_quoted,	S, 0, 1)					\
	X(toupper,		S, 0, 1)	/* ASCII letters only */	\
	X(tolower,		S, 0, 1)					\
	X(target,		L, 0, 0)	/* header target_pid (-x, -c) */	\
	X(kernel_long,		L, 1, 0)	/* memread.c: (addr); unreadable: \
						 * fault READ, detail addr */	\
	X(kernel_int,		L, 1, 0)	/* signed, like all below */	\
	X(kernel_short,		L, 1, 0)					\
	X(kernel_char,		L, 1, 0)					\
	X(kernel_pointer,	L, 1, 0)					\
	X(kernel_string,	S, 1, 0)					\
	X(kernel_string2,	S, 1, 1)	/* (addr, err_msg): no fault */	\
	X(kernel_string_n,	S, 2, 0)	/* (addr, n) */			\
	X(kernel_string_quoted,	S, 1, 0)	/* unreadable: "0x.." */	\
	X(user_long,		L, 1, 0)	/* user_*: current task's memory; */ \
	X(user_int,		L, 1, 0)	/* numbers: unreadable gives 0 */	\
	X(user_short,		L, 1, 0)					\
	X(user_char,		L, 1, 0)					\
	X(user_string,		S, 1, 0)	/* unreadable: fault READ */	\
	X(user_string2,		S, 1, 1)	/* (addr, err_msg) */		\
	X(user_string_n,	S, 2, 0)	/* (addr, n) */			\
	X(user_string_n2,	S, 2, 1)	/* (addr, n, err_msg) */	\
	X(user_string_quoted,	S, 1, 0)					\
	X(error,		V, 0, 1)	/* fault USER with this message */ \
	X(_deref,		L, 2, 0)	/* memread.c: (addr, how), how \
						 * VT_DEREF_HOW(); unreadable: \
						 * fault READ, detail addr */ \
	X(task_current,		L, 0, 0)	/* the task_struct pointer of \
						 * the task pid() describes */	\
	X(_kstack,		L, 3, 0)	/* stack.c: (skip, max, mode): a \
						 * stack reference (vtrace_uapi.h) \
						 * of the kernel stack; needs	\
						 * header nstacks > 0 */	\
	X(_stack_mode,		L, 2, 0)	/* (ref, mode): ref, new mode */ \
	X(_addr_ref,		L, 2, 0)	/* (addr, mode): a one-frame	\
						 * stack; needs nstacks > 0 */	\
	X(_kframe,		L, 1, 0)	/* (n): address n of the kernel \
						 * stack, 0 past its end */	\
	X(_ustack,		L, 3, 0)	/* (skip, max, mode): _kstack's \
						 * for the user stack */

/*
 * Registers of the probed context, for vt_host_reg() (x86-64 pt_regs).
 * Function arguments 1-6 are DI, SI, DX, CX, R8, R9; the return value
 * of a function (in a kretprobe) is AX.
 */
#define VT_REGS(X)							\
	X(AX, "rax") X(BX, "rbx") X(CX, "rcx") X(DX, "rdx")		\
	X(SI, "rsi") X(DI, "rdi") X(BP, "rbp") X(SP, "rsp")		\
	X(R8, "r8") X(R9, "r9") X(R10, "r10") X(R11, "r11")		\
	X(R12, "r12") X(R13, "r13") X(R14, "r14") X(R15, "r15")	\
	X(IP, "rip") X(FLAGS, "eflags") X(ORIG_AX, "orig_rax")		\
	X(CS, "cs")

enum vt_reg {
#define VT_REG_ENUM(name, text) VT_REG_##name,
	VT_REGS(VT_REG_ENUM)
#undef VT_REG_ENUM
	VT_REG_COUNT
};

enum vt_helper_id {
#define VT_HELPER_ENUM(name, ret, nl, ns) VT_HELPER_##name,
	VT_HELPERS(VT_HELPER_ENUM)
#undef VT_HELPER_ENUM
	VT_HELPER_COUNT
};

/* Return kinds of helpers, and argument kinds in format signatures. */
enum vt_kind {
	VT_KIND_V,		/* nothing */
	VT_KIND_L,		/* long */
	VT_KIND_S,		/* string */
};

/* Operand formats as values, for tables built from VT_OPCODES. */
enum vt_operand_format {
	VT_FMT__, VT_FMT_r, VT_FMT_w, VT_FMT_s, VT_FMT_t, VT_FMT_v,
	VT_FMT_q, VT_FMT_d, VT_FMT_i, VT_FMT_j, VT_FMT_c, VT_FMT_z,
	VT_FMT_g, VT_FMT_h, VT_FMT_f, VT_FMT_x, VT_FMT_u, VT_FMT_y,
	VT_FMT_p, VT_FMT_m, VT_FMT_e, VT_FMT_n,
};

struct vt_opcode_info {
	const char *name;
	__u8 fmt[4];		/* enum vt_operand_format for a, b, c, k */
};

struct vt_helper_info {
	const char *name;
	__u8 ret;		/* enum vt_kind */
	__u8 nlong;
	__u8 nstr;
};

extern const struct vt_opcode_info vt_opcode_info[VT_OP_COUNT];
extern const struct vt_helper_info vt_helper_info[VT_HELPER_COUNT];

#endif /* VT_ISA_H */
