/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vt_priv.h - declarations shared by the vm/ sources only (loader,
 * verifier, interpreter, helpers).  Not part of any contract: nothing
 * outside vm/ includes it.
 */
#ifndef VT_PRIV_H
#define VT_PRIV_H

#include "vt_vm.h"

/*
 * The loader's context, passed to every check (log.c): a bounded message
 * buffer (len stays at most size) and the work done so far.
 */
struct vt_log {
	char *buf;
	u32 size;
	u32 len;
	u64 steps;		/* load work, see vt_load_step() */
	u64 next_yield;		/* steps at which the host is asked next */
	bool stopped;		/* vt_host_load_yield() said stop */
};

/* An empty log writing into @buf (may be NULL: messages are dropped). */
void vt_log_init(struct vt_log *lg, char *buf, u32 size);

/*
 * Count @n steps of load work (each a bounded amount: see vt_prog_load);
 * every VT_LOAD_YIELD_STEPS steps ask the host.  -1 when it said stop
 * (the check then fails like a rejection), else 0.
 */
int vt_load_yield(struct vt_log *lg);
static inline int vt_load_step(struct vt_log *lg, u32 n)
{
	lg->steps += n;
	return likely(lg->steps < lg->next_yield) ? 0 : vt_load_yield(lg);
}

/* Append formatted text (vt_format semantics) to @lg. */
void vt_log_fmt(struct vt_log *lg, const char *fmt, const char *sig,
		const struct vt_fmt_arg *args, u32 nargs);

/* Build the argument array in place: VT_LOG(lg, "x=%d", "l", VT_L(x)). */
#define VT_L(x) { .l = (s64)(x), .s = 0, .slen = 0 }
#define VT_S(x) { .l = 0, .s = (x), .slen = vt_strnlen((x), VT_LOG_MAX) }
#define VT_LOG(lg, fmt, sig, ...) do {					\
	const struct vt_fmt_arg vt_log_args_[] = { __VA_ARGS__ };	\
	vt_log_fmt((lg), (fmt), (sig), vt_log_args_,			\
		   VT_ARRAY_SIZE(vt_log_args_));			\
} while (0)

#define VT_LOG0(lg, msg) vt_log_fmt((lg), (msg), "", NULL, 0)

/* strnlen: bytes before the first NUL, at most @max. */
u32 vt_strnlen(const char *s, u32 max);

/* Argument counts of a signature string of 'l' and 's' characters. */
struct vt_sig_counts {
	u32 nlong;
	u32 nstr;
};
void vt_sig_count(const char *sig, struct vt_sig_counts *cnt);

/*
 * vt_format() with the arguments in a VM frame: the signature's 'l'
 * arguments in consecutive registers from @regs, its 's' arguments in
 * consecutive slots from @slots (sprintf).  Stops once @out is full and
 * returns the work done (VT_COST_STEP per byte of format text, the
 * arguments measured, the output written), not the length.
 */
u32 vt_format_frame(char *out, u32 size, const char *fmt, const char *sig,
		    const s64 *regs, const char *slots, u32 strsize);

/* Verify unit @u of a prog whose sections are already validated. */
int vt_verify_unit(const struct vt_prog *prog, u32 u, struct vt_log *lg);

/* Prefix for messages about unit @u at absolute pc @pc. */
void vt_log_where(struct vt_log *lg, const struct vt_prog *prog, u32 u,
		  u32 pc);

/* Helper call context; the helper table is generated from VT_HELPERS. */
struct vt_call {
	struct vt_exec *ex;
	const s64 *largs;	/* the helper's nlong registers */
	const char *sargs;	/* its nstr slots, strsize bytes apart */
	s64 *lret;		/* destination register (ret L) */
	char *sret;		/* destination slot (ret S) */
	u32 strsize;
	u32 work;		/* out: bytes the helper measured, compared,
				 * copied or wrote, VT_COST_BYTES a unit; a
				 * vt_host_read() counts VT_COST_BYTES */
	s64 detail;		/* out: the fault's detail (0 unless set) */
};
typedef enum vt_fault (*vt_helper_fn)(struct vt_call *call);

/* strfuncs.c: the string tapset. */
enum vt_fault vt_helper_strlen(struct vt_call *call);
enum vt_fault vt_helper_substr(struct vt_call *call);
enum vt_fault vt_helper_stringat(struct vt_call *call);
enum vt_fault vt_helper_isinstr(struct vt_call *call);
enum vt_fault vt_helper_strpos(struct vt_call *call);
enum vt_fault vt_helper_str_replace(struct vt_call *call);
enum vt_fault vt_helper_strtol(struct vt_call *call);
enum vt_fault vt_helper_isdigit(struct vt_call *call);
enum vt_fault vt_helper_text_str(struct vt_call *call);
enum vt_fault vt_helper_text_strn(struct vt_call *call);
enum vt_fault vt_helper_string_quoted(struct vt_call *call);
enum vt_fault vt_helper_toupper(struct vt_call *call);
enum vt_fault vt_helper_tolower(struct vt_call *call);
/* memread.c: kernel_* and user_* memory reads (vt_host_read). */
enum vt_fault vt_helper_kernel_long(struct vt_call *call);
enum vt_fault vt_helper_kernel_int(struct vt_call *call);
enum vt_fault vt_helper_kernel_short(struct vt_call *call);
enum vt_fault vt_helper_kernel_char(struct vt_call *call);
enum vt_fault vt_helper_kernel_pointer(struct vt_call *call);
enum vt_fault vt_helper_kernel_string(struct vt_call *call);
enum vt_fault vt_helper_kernel_string2(struct vt_call *call);
enum vt_fault vt_helper_kernel_string_n(struct vt_call *call);
enum vt_fault vt_helper_kernel_string_quoted(struct vt_call *call);
enum vt_fault vt_helper_user_long(struct vt_call *call);
enum vt_fault vt_helper_user_int(struct vt_call *call);
enum vt_fault vt_helper_user_short(struct vt_call *call);
enum vt_fault vt_helper_user_char(struct vt_call *call);
enum vt_fault vt_helper_user_string(struct vt_call *call);
enum vt_fault vt_helper_user_string2(struct vt_call *call);
enum vt_fault vt_helper_user_string_n(struct vt_call *call);
enum vt_fault vt_helper_user_string_n2(struct vt_call *call);
enum vt_fault vt_helper_user_string_quoted(struct vt_call *call);
enum vt_fault vt_helper__deref(struct vt_call *call);
extern const vt_helper_fn vt_helper_impl[VT_HELPER_COUNT];

#endif /* VT_PRIV_H */
