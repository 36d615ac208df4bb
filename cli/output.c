// SPDX-License-Identifier: GPL-2.0-only
/*
 * output.c - turn records read from /dev/vtrace into text.  The kernel
 * sends a format id and raw argument values; formatting happens here with
 * the same vt_format() the VM uses, so printf output is identical
 * wherever it is produced; histograms (VT_REC_HIST) and runtime errors
 * go through aggfmt.c, shared with tests/lang/hostrun.c.
 *
 * Invariant: nothing in a record is trusted.  Every length is checked
 * against the record and every id against the program before use.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aggfmt.h"
#include "cli.h"

/* Decode the arguments of a PRINTF payload into @args; -1 if malformed. */
static int decode_args(const char *sig, const unsigned char *p, size_t len,
		       struct vt_fmt_arg *args, uint32_t *nargs)
{
	size_t pos = 0;
	uint32_t n = 0;

	for (; sig[n]; n++) {
		if (n >= VT_FORMAT_ARGS_MAX)
			return -1;
		memset(&args[n], 0, sizeof(args[n]));
		if (sig[n] == 'l') {
			if (len - pos < sizeof(int64_t))
				return -1;
			memcpy(&args[n].l, p + pos, sizeof(int64_t));
			pos += sizeof(int64_t);
		} else {
			uint16_t slen;

			if (len - pos < sizeof(slen))
				return -1;
			memcpy(&slen, p + pos, sizeof(slen));
			pos += sizeof(slen);
			if (len - pos < slen)
				return -1;
			args[n].s = (const char *)p + pos;
			args[n].slen = slen;
			pos += slen;
		}
	}
	*nargs = n;
	return pos == len ? 0 : -1;
}

static int print_printf(const struct vt_prog *prog, const unsigned char *p,
			size_t len, FILE *out)
{
	struct vt_fmt_arg args[VT_FORMAT_ARGS_MAX];
	const struct vt_format_desc *fd;
	char small[1024], *text = small;
	uint32_t id, nargs, need;
	const char *sig;
	int ret = -1;

	if (len < sizeof(id))
		return -1;
	memcpy(&id, p, sizeof(id));
	if (id >= prog->nformats)
		return -1;
	fd = &prog->formats[id];
	sig = vt_prog_str(prog, fd->sig);
	if (decode_args(sig, p + sizeof(id), len - sizeof(id), args, &nargs))
		return -1;
	need = vt_format(small, sizeof(small), vt_prog_str(prog, fd->text),
			 sig, args, nargs);
	if (need >= sizeof(small)) {
		text = malloc((size_t)need + 1);
		if (!text)
			goto out;
		vt_format(text, need + 1, vt_prog_str(prog, fd->text), sig,
			  args, nargs);
	}
	fwrite(text, 1, need, out);
	ret = 0;
out:
	if (text != small)
		free(text);
	return ret;
}

static int print_error(const struct vt_prog *prog, const unsigned char *p,
		       size_t len)
{
	struct vt_rec_error e;

	if (len < sizeof(e))
		return -1;
	memcpy(&e, p, sizeof(e));
	if (len > sizeof(e) && e.fault != VT_FAULT_USER)
		return -1;
	aggfmt_error(stderr, prog, e.fault, e.detail, e.pc,
		     (const char *)p + sizeof(e), len - sizeof(e));
	return 0;
}

/* print(@hist_*(s)): the merged counters of one statistic entry. */
static int print_hist(const struct vt_prog *prog, const unsigned char *p,
		      size_t len, FILE *out)
{
	s64 buckets[VT_HIST_BUCKETS_MAX];
	const struct vt_map_desc *md;
	struct vt_rec_hist h;

	if (len < sizeof(h))
		return -1;
	memcpy(&h, p, sizeof(h));
	if (h.map >= prog->nmaps)
		return -1;
	md = &prog->maps[h.map];
	if (md->vkind != VT_MAPV_STAT || md->hist == VT_HIST_NONE ||
	    h.hist != md->hist || h.nbuckets != md->nbuckets ||
	    h.nbuckets > VT_HIST_BUCKETS_MAX ||
	    len - sizeof(h) != (size_t)h.nbuckets * sizeof(s64))
		return -1;
	memcpy(buckets, p + sizeof(h), (size_t)h.nbuckets * sizeof(s64));
	return aggfmt_hist(out, md, buckets, h.nbuckets);
}

long output_records(const struct vt_prog *prog, const void *buf, size_t len,
		    FILE *out, struct run_result *res, bool *saw_exit)
{
	const unsigned char *base = buf;
	size_t pos = 0;

	while (len - pos >= sizeof(struct vt_rec)) {
		const unsigned char *payload;
		struct vt_rec rec;
		size_t plen;
		int bad = 0;

		memcpy(&rec, base + pos, sizeof(rec));
		if (rec.size < sizeof(rec) || rec.size > len - pos)
			break;
		payload = base + pos + sizeof(rec);
		plen = rec.size - sizeof(rec);
		switch (rec.type) {
		case VT_REC_PRINTF:
			bad = print_printf(prog, payload, plen, out);
			break;
		case VT_REC_ERROR:
			bad = print_error(prog, payload, plen);
			res->errors++;
			break;
		case VT_REC_HIST:
			bad = print_hist(prog, payload, plen, out);
			break;
		case VT_REC_EXIT:
			*saw_exit = true;
			break;
		case VT_REC_STOPPED: {
			struct vt_rec_stopped st;

			if (plen != sizeof(st)) {
				bad = -1;
				break;
			}
			memcpy(&st, payload, sizeof(st));
			if (!res->stop_reason) {
				res->stop_reason = st.reason;
				res->stop_detail = st.detail;
			}
			*saw_exit = true;
			break;
		}
		default:
			bad = -1;
		}
		if (bad) {
			fprintf(stderr, "vtrace: malformed record (type %u, "
				"%u bytes) from the module\n", rec.type,
				rec.size);
			return -1;
		}
		res->records++;
		pos += (rec.size + 7u) & ~(size_t)7;
		if (pos > len)
			pos = len;
	}
	return (long)pos;
}
