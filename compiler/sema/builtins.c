// SPDX-License-Identifier: GPL-2.0-only
/* builtins.c - see builtins.h. */
#include <string.h>

#include "builtins.h"
#include "vt_isa.h"

/* Helpers whose script argument order is not longs-then-strings. */
static const struct {
	const char *name;
	const char *kinds;
} script_order[] = {
	{ "substr", "sll" },
	{ "stringat", "sl" },
	{ "strtol", "sl" },
	{ "text_strn", "sll" },
};

/* Overloads: name, argument count, the helper that implements it. */
static const struct {
	const char *name;
	int nargs;
	const char *helper;
} overloads[] = {
	{ "kernel_string", 2, "kernel_string2" },
	{ "user_string", 2, "user_string2" },
	{ "user_string_n", 3, "user_string_n2" },
};

const char *builtin_overload(const char *name, int nargs)
{
	for (size_t i = 0; i < sizeof(overloads) / sizeof(overloads[0]); i++)
		if (overloads[i].nargs == nargs &&
		    !strcmp(overloads[i].name, name))
			return overloads[i].helper;
	return name;
}

const char *builtin_arg_kinds(int id)
{
	static char kinds[VT_HELPER_COUNT][16];
	const struct vt_helper_info *h;
	int n = 0;

	if (id < 0 || id >= VT_HELPER_COUNT)
		return "";
	h = &vt_helper_info[id];
	for (size_t i = 0; i < sizeof(script_order) / sizeof(script_order[0]);
	     i++)
		if (!strcmp(script_order[i].name, h->name))
			return script_order[i].kinds;
	if (!kinds[id][0]) {
		for (int i = 0; i < h->nlong && n < 15; i++)
			kinds[id][n++] = 'l';
		for (int i = 0; i < h->nstr && n < 15; i++)
			kinds[id][n++] = 's';
		kinds[id][n] = 0;
	}
	return kinds[id];
}
