// SPDX-License-Identifier: GPL-2.0-only
/*
 * kread.c - which kernel addresses a script may read (kernel_long,
 * kernel_string, ...: vt_host_read() with user false, fire.c).
 *
 * copy_from_kernel_nofault() survives a read that faults, not one that
 * has an effect: an address in an ioremap or fixmap mapping of a device
 * (MMIO) may clear a status bit, pop a FIFO or stall the bus.  So a
 * kernel read is allowed only if every page it touches is
 *  - mapped in the kernel's page tables (lookup_address),
 *  - as normal write-back memory: PWT, PCD and the PAT bit all clear,
 *    i.e. PAT entry 0, which Linux always programs write-back (ioremap
 *    gives UC-, ioremap_wc WC: both refused), and
 *  - onto RAM: the physical page's first and last bytes lie in E820 RAM
 *    (or kernel-reserved RAM), so device memory mapped write-back
 *    (ioremap_cache of a BAR, memremap of firmware) and the legacy VGA
 *    hole under 1 MiB, which the direct map covers, are refused.
 * Memory hot-added after boot is not in the E820 table and is refused.
 * Everything here is lockless and safe in NMI: a walk of the kernel page
 * tables, as the kernel's own lockless walkers do (an entry that changes
 * under us is read whole, once), and a search of the E820 table, which
 * only boot code changes.  A page that passed is remembered in the
 * firing's slot (vt_cpu.kread_page, reset by vt_fire_ctx), so a string
 * read in chunks checks its page once per firing; a mapping that changes
 * during one firing is not seen again until the next.
 */
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <asm/e820/api.h>

#include "session.h"

/* Normal RAM: E820 RAM, or RAM the kernel reserved out of it. */
static bool vt_phys_is_ram(u64 phys)
{
	return e820__mapped_any(phys, phys + 1, E820_TYPE_RAM) ||
	       e820__mapped_any(phys, phys + 1, E820_TYPE_RESERVED_KERN);
}
NOKPROBE_SYMBOL(vt_phys_is_ram);

/* The kernel page at @page is RAM mapped write-back (see above). */
static bool vt_kernel_page_ok(unsigned long page)
{
	unsigned int level;
	pte_t *ptep = lookup_address(page, &level);
	pteval_t flags, pat;
	u64 phys;

	if (!ptep)
		return false;
	switch (level) {
	case PG_LEVEL_4K: {
		pte_t e = READ_ONCE(*ptep);

		flags = pte_flags(e);
		phys = (u64)pte_pfn(e) << PAGE_SHIFT;
		pat = _PAGE_PAT;
		break;
	}
	case PG_LEVEL_2M: {
		pmd_t e = READ_ONCE(*(pmd_t *)ptep);

		flags = pmd_flags(e);
		phys = ((u64)pmd_pfn(e) << PAGE_SHIFT) + (page & ~PMD_MASK);
		pat = _PAGE_PAT_LARGE;
		break;
	}
	case PG_LEVEL_1G: {
		pud_t e = READ_ONCE(*(pud_t *)ptep);

		flags = pud_flags(e);
		phys = ((u64)pud_pfn(e) << PAGE_SHIFT) + (page & ~PUD_MASK);
		pat = _PAGE_PAT_LARGE;
		break;
	}
	default:
		return false;
	}
	if (!(flags & _PAGE_PRESENT) || flags & (_PAGE_PWT | _PAGE_PCD | pat))
		return false;
	return vt_phys_is_ram(phys) && vt_phys_is_ram(phys + PAGE_SIZE - 1);
}
NOKPROBE_SYMBOL(vt_kernel_page_ok);

bool vt_kernel_readable(struct vt_cpu *c, u64 addr, u32 len)
{
	unsigned long page, last;

	if (!len)
		return true;
	if (addr + len - 1 < addr)
		return false;
	last = (unsigned long)(addr + len - 1) & PAGE_MASK;
	for (page = (unsigned long)addr & PAGE_MASK;; page += PAGE_SIZE) {
		if (page != c->kread_page) {
			if (!vt_kernel_page_ok(page))
				return false;
			c->kread_page = page;
		}
		if (page == last)
			return true;
	}
}
NOKPROBE_SYMBOL(vt_kernel_readable);
