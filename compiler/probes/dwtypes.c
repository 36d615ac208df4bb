// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwtypes.c - placeholder for the DWARF type source (types_int.h) so
 * that types.c links; the DWARF backend replaces this file.
 */
#include <stdio.h>

#include "types_int.h"

static int dw_open(struct type_source *s, char *err, size_t errlen)
{
	(void)s;
	snprintf(err, errlen, "DWARF types: not built yet");
	return -1;
}

const struct type_backend types_dwarf_backend = { .open = dw_open };
