/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vt_record.h - the decoder of the output record stream (vtrace_uapi.h,
 * "records"), beside its encoder (interp.c writes PRINTF, ERROR and HIST
 * payloads; the module adds EXIT and STOPPED).  One codec for every
 * reader: the CLI (cli/output.c), the language suite's host runner, the
 * unit tests and the fuzzers.
 *
 * Invariant: nothing in the input is trusted.  Every function reads only
 * inside the bytes it is given, checks every length against them and
 * every index against the program, and returns -1 (VT_REC_BAD) for
 * anything malformed.  Freestanding like the rest of vm/; the decoded
 * views point into the caller's buffer.
 */
#ifndef VT_RECORD_H
#define VT_RECORD_H

#include "vt_vm.h"

#define VT_REC_BAD	(-1)

/* One record of a stream: its header and where its payload lies. */
struct vt_rec_view {
	u16 type;		/* enum vt_rec_type (not checked here) */
	u16 cpu;
	u64 ts;
	const u8 *payload;
	u32 len;		/* payload bytes */
};

/*
 * The record at *@pos of the @len bytes at @buf (records start 8-aligned,
 * as read(2) returns them).  Returns 1 and advances *@pos past it (and its
 * padding, at most to @len); 0 when no whole record starts there (fewer
 * bytes than a header, or a size running past @len: *@pos unchanged, the
 * rest is incomplete); VT_REC_BAD when the size is below the header's.
 */
int vt_rec_next(const void *buf, u64 len, u64 *pos, struct vt_rec_view *rv);

/* A decoded VT_REC_PRINTF payload: the format and its arguments. */
struct vt_rec_printf {
	u32 format;		/* FORMATS index */
	u32 nargs;
	const char *text;	/* the format text (strtab) */
	const char *sig;	/* its signature */
	struct vt_fmt_arg args[VT_FORMAT_ARGS_MAX];	/* strings point into
							 * the payload */
};

/*
 * Decode a PRINTF payload of @prog's: the format id in range, then per
 * signature character an __s64 or a __u16 length and that many bytes,
 * nothing left over.  0 or VT_REC_BAD.
 */
int vt_rec_printf(const struct vt_prog *prog, const void *payload, u32 len,
		  struct vt_rec_printf *pf);

/*
 * Decode an ERROR payload: the struct, then (fault USER only) error()'s
 * message, @msg / @msglen (no NUL).  0 or VT_REC_BAD.
 */
int vt_rec_error(const void *payload, u32 len, struct vt_rec_error *e,
		 const char **msg, u32 *msglen);

/*
 * Decode a HIST payload of @prog's: a STAT map with a histogram of the
 * record's kind and bucket count, exactly nbuckets counters, copied to
 * @buckets (VT_HIST_BUCKETS_MAX entries).  0 or VT_REC_BAD.
 */
int vt_rec_hist(const struct vt_prog *prog, const void *payload, u32 len,
		struct vt_rec_hist *h, s64 *buckets);

/* Decode a STOPPED payload (exactly the struct).  0 or VT_REC_BAD. */
int vt_rec_stopped(const void *payload, u32 len, struct vt_rec_stopped *st);

#endif /* VT_RECORD_H */
