// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkbtf.c - writes the BTF fixture of tests/unit/btf_fixture.h to the file
 * named by its argument; tests/lang/run points VTRACE_BTF at it.
 */
#include <stdio.h>

#include "btf_fixture.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: mkbtf FILE\n", stderr);
		return 2;
	}
	if (btf_fixture_write(argv[1])) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
