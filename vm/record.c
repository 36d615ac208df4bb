// SPDX-License-Identifier: GPL-2.0-only
/*
 * record.c - the output record decoder (vt_record.h).  Every read is
 * bounded by the length the caller gives; nothing decoded is trusted
 * until checked here.
 */
#include "vt_record.h"

int vt_rec_next(const void *buf, u64 len, u64 *pos, struct vt_rec_view *rv)
{
	const u8 *p = (const u8 *)buf + *pos;
	struct vt_rec rec;
	u64 next;

	if (*pos > len || len - *pos < sizeof(rec))
		return 0;
	memcpy(&rec, p, sizeof(rec));
	if (rec.size < sizeof(rec))
		return VT_REC_BAD;
	if (rec.size > len - *pos)
		return 0;
	rv->type = rec.type;
	rv->cpu = rec.cpu;
	rv->ts = rec.ts;
	rv->payload = p + sizeof(rec);
	rv->len = rec.size - (u32)sizeof(rec);
	next = *pos + ((rec.size + 7ull) & ~7ull);
	*pos = next > len ? len : next;
	return 1;
}

/* The arguments of a PRINTF payload after the format id. */
static int printf_args(const u8 *p, u32 len, struct vt_rec_printf *pf)
{
	u32 pos = 0, n;
	u16 slen;

	for (n = 0; pf->sig[n]; n++) {
		if (n >= VT_FORMAT_ARGS_MAX)
			return VT_REC_BAD;
		memset(&pf->args[n], 0, sizeof(pf->args[n]));
		if (pf->sig[n] == 'l') {
			if (len - pos < sizeof(s64))
				return VT_REC_BAD;
			memcpy(&pf->args[n].l, p + pos, sizeof(s64));
			pos += sizeof(s64);
			continue;
		}
		if (len - pos < sizeof(slen))
			return VT_REC_BAD;
		memcpy(&slen, p + pos, sizeof(slen));
		pos += sizeof(slen);
		if (len - pos < slen)
			return VT_REC_BAD;
		pf->args[n].s = (const char *)p + pos;
		pf->args[n].slen = slen;
		pos += slen;
	}
	pf->nargs = n;
	return pos == len ? 0 : VT_REC_BAD;
}

int vt_rec_printf(const struct vt_prog *prog, const void *payload, u32 len,
		  struct vt_rec_printf *pf)
{
	const struct vt_format_desc *fd;

	if (len < sizeof(pf->format))
		return VT_REC_BAD;
	memcpy(&pf->format, payload, sizeof(pf->format));
	if (pf->format >= prog->nformats)
		return VT_REC_BAD;
	fd = &prog->formats[pf->format];
	pf->text = vt_prog_str(prog, fd->text);
	pf->sig = vt_prog_str(prog, fd->sig);
	return printf_args((const u8 *)payload + sizeof(pf->format),
			   len - (u32)sizeof(pf->format), pf);
}

int vt_rec_error(const void *payload, u32 len, struct vt_rec_error *e,
		 const char **msg, u32 *msglen)
{
	if (len < sizeof(*e))
		return VT_REC_BAD;
	memcpy(e, payload, sizeof(*e));
	if (len > sizeof(*e) && e->fault != VT_FAULT_USER)
		return VT_REC_BAD;
	*msg = (const char *)payload + sizeof(*e);
	*msglen = len - (u32)sizeof(*e);
	return 0;
}

int vt_rec_hist(const struct vt_prog *prog, const void *payload, u32 len,
		struct vt_rec_hist *h, s64 *buckets)
{
	const struct vt_map_desc *md;

	if (len < sizeof(*h))
		return VT_REC_BAD;
	memcpy(h, payload, sizeof(*h));
	if (h->map >= prog->nmaps)
		return VT_REC_BAD;
	md = &prog->maps[h->map];
	if (md->vkind != VT_MAPV_STAT || md->hist == VT_HIST_NONE ||
	    h->hist != md->hist || h->nbuckets != md->nbuckets ||
	    h->nbuckets > VT_HIST_BUCKETS_MAX ||
	    len - sizeof(*h) != (u64)h->nbuckets * sizeof(s64))
		return VT_REC_BAD;
	memcpy(buckets, (const u8 *)payload + sizeof(*h),
	       (u64)h->nbuckets * sizeof(s64));
	return 0;
}

int vt_rec_stopped(const void *payload, u32 len, struct vt_rec_stopped *st)
{
	if (len != sizeof(*st))
		return VT_REC_BAD;
	memcpy(st, payload, sizeof(*st));
	return 0;
}
