// SPDX-License-Identifier: GPL-2.0-only
/*
 * output.c - turn records read from /dev/vtrace into text.  The kernel
 * sends a format id and raw argument values; formatting happens here with
 * the same vt_format() the VM uses, so printf output is identical
 * wherever it is produced; histograms (VT_REC_HIST) and runtime errors
 * go through aggfmt.c, shared with tests/lang/hostrun.c.
 *
 * Invariant: nothing in a record is trusted: the codec (vm/record.c,
 * vt_record.h) checks every length against the record and every id
 * against the program before use.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aggfmt.h"
#include "cli.h"
#include "stacks.h"
#include "vt_record.h"

static int print_printf(const struct vt_prog *prog, const u8 *p, u32 len,
			FILE *out)
{
	struct vt_rec_printf pf;
	char small[1024], *text = small;
	/* stack references' texts (stacks.h) */
	char ftext[VT_STRING_MAX + 1], fsig[VT_FORMAT_ARGS_MAX + 1];
	char *owned[VT_FORMAT_ARGS_MAX] = { 0 };
	uint32_t need;
	int ret = -1;

	if (vt_rec_printf(prog, p, len, &pf))
		return -1;
	if (strchr(pf.text, VT_FMT_STACK)) {
		if (stacks_printf_args(pf.text, pf.sig, pf.args, pf.nargs,
				       ftext, fsig, owned))
			goto out;
		pf.text = ftext;
		pf.sig = fsig;
	}
	need = vt_format(small, sizeof(small), pf.text, pf.sig, pf.args,
			 pf.nargs);
	if (need >= sizeof(small)) {
		text = malloc((size_t)need + 1);
		if (!text)
			goto out;
		vt_format(text, need + 1, pf.text, pf.sig, pf.args, pf.nargs);
	}
	fwrite(text, 1, need, out);
	ret = 0;
out:
	stacks_free_texts(owned);
	if (text != small)
		free(text);
	return ret;
}

static int print_error(const struct vt_prog *prog, const u8 *p, u32 len)
{
	struct vt_rec_error e;
	const char *msg;
	u32 msglen;

	if (vt_rec_error(p, len, &e, &msg, &msglen))
		return -1;
	aggfmt_error(stderr, prog, e.fault, e.detail, e.pc, msg, msglen);
	return 0;
}

/* print(@hist_*(s)): the merged counters of one statistic entry. */
static int print_hist(const struct vt_prog *prog, const u8 *p, u32 len,
		      FILE *out)
{
	s64 buckets[VT_HIST_BUCKETS_MAX];
	struct vt_rec_hist h;

	if (vt_rec_hist(prog, p, len, &h, buckets))
		return -1;
	return aggfmt_hist(out, &prog->maps[h.map], buckets, h.nbuckets);
}

long output_records(const struct vt_prog *prog, const void *buf, size_t len,
		    FILE *out, struct run_result *res, bool *saw_exit)
{
	struct vt_rec_stopped st;
	struct vt_rec_view rv;
	u64 pos = 0;

	/* An incomplete or bad header ends the batch at its start. */
	while (vt_rec_next(buf, len, &pos, &rv) == 1) {
		int bad = 0;

		switch (rv.type) {
		case VT_REC_PRINTF:
			bad = print_printf(prog, rv.payload, rv.len, out);
			break;
		case VT_REC_ERROR:
			bad = print_error(prog, rv.payload, rv.len);
			res->errors++;
			break;
		case VT_REC_HIST:
			bad = print_hist(prog, rv.payload, rv.len, out);
			break;
		case VT_REC_EXIT:
			*saw_exit = true;
			break;
		case VT_REC_STOPPED:
			bad = vt_rec_stopped(rv.payload, rv.len, &st);
			if (bad)
				break;
			if (!res->stop_reason) {
				res->stop_reason = st.reason;
				res->stop_detail = st.detail;
			}
			*saw_exit = true;
			break;
		default:
			bad = -1;
		}
		if (bad) {
			fprintf(stderr, "vtrace: malformed record (type %u, "
				"%u bytes) from the module\n", rv.type,
				rv.len + (unsigned int)sizeof(struct vt_rec));
			return -1;
		}
		res->records++;
	}
	return (long)pos;
}
