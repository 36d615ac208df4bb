// SPDX-License-Identifier: GPL-2.0-only
/*
 * provider.c - the provider table (provider.h) and the helpers every
 * provider shares: the one skip policy for probes that fail to attach,
 * the check that a probe is not in this module, the timer rate.  A new
 * provider is a probe_<name>.c file with its ops and one line of
 * VT_PROVIDERS.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/math64.h>
#include <linux/module.h>

#include "session.h"

const struct vt_provider *const vt_providers[VT_PROV_COUNT] = {
#define VT_PROVIDER_PTR(id, name) [VT_PROV_##id] = &vt_provider_##name,
	VT_PROVIDERS(VT_PROVIDER_PTR)
#undef VT_PROVIDER_PTR
};

u32 vt_provider_of(u32 type)
{
	u32 id;

	for (id = 0; id < VT_PROV_COUNT; id++)
		if (vt_providers[id]->types & BIT(type))
			break;
	return id;
}

int __init vt_providers_check(void)
{
	u32 id, seen = 0;

	BUILD_BUG_ON(VT_PROBE_TYPE_COUNT > 32);
	for (id = 0; id < VT_PROV_COUNT; id++) {
		if (seen & vt_providers[id]->types)
			return -EINVAL;
		seen |= vt_providers[id]->types;
	}
	return seen == GENMASK(VT_PROBE_TYPE_COUNT - 1, 0) ? 0 : -EINVAL;
}

/*
 * After attaching probe @pd (@ret from its provider): 0 when it is
 * armed, or when it failed but may be skipped (an optional point, or one
 * match of a wildcard, counted in probes_skipped); else the error.
 */
int vt_attach_outcome(struct vt_session *s, const struct vt_probe_desc *pd,
		      int ret)
{
	if (!ret)
		return 0;
	if (pd->flags & (VT_PROBE_F_OPTIONAL | VT_PROBE_F_WILDCARD) &&
	    ret != -ENOMEM && ret != -EINTR) {
		if (pd->flags & VT_PROBE_F_WILDCARD)
			s->probes_skipped++;
		return 0;
	}
	pr_debug("cannot probe %s: %d\n", vt_prog_str(&s->prog, pd->point),
		 ret);
	return ret;
}

/* @addr lies in this module (core or init text/data). */
bool vt_addr_is_ours(const void *addr)
{
	return addr && within_module((unsigned long)addr, THIS_MODULE);
}

u64 vt_period_hz(u64 ns)
{
	return DIV64_U64_ROUND_UP(NSEC_PER_SEC,
				  max_t(u64, ns, VT_TIMER_MIN_NS));
}
