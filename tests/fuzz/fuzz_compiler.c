// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_compiler.c - libFuzzer target: arbitrary bytes as a script.
 *
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -Ivm -Icompiler -o build/fuzz/fuzz_compiler tests/fuzz/fuzz_compiler.c \
 *     $(find compiler -name '*.c') vm/isa.c vm/prog.c vm/verify.c vm/format.c
 *   build/fuzz/fuzz_compiler -max_total_time=120 build/fuzz/corpus
 *
 * Checks beyond "no crash, no leak, no hang": every image the compiler
 * emits passes vt_prog_load(), and the pass 1 listing of a script that
 * parses parses again to the same listing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtc.h"
#include "vt_vm.h"

static FILE *devnull;

/* The loader's host hook (vm/vt_vm.h): never stop. */
bool vt_host_load_yield(u64 steps)
{
	(void)steps;
	return false;
}

static char *listing(const char *src, int *ok)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct vtc_options o = {
		.file_name = "fuzz.stp", .source = src, .last_pass = 1,
		.out = out, .err = devnull,
	};

	*ok = vtc_compile(&o, NULL) == 0;
	fclose(out);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src = malloc(size + 1), *first, *second;
	struct vtc_options o = {
		.file_name = "fuzz.stp", .out = NULL, .err = NULL,
	};
	struct vtc_image img;
	struct vt_prog prog;
	char log[VT_LOG_MAX];
	int ok1, ok2;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	memcpy(src, data, size);
	src[size] = 0;
	o.source = src;
	o.err = devnull;
	o.out = devnull;
	if (vtc_compile(&o, &img) == 0) {
		if (vt_prog_load(&prog, img.data, (u32)img.size, log,
				 sizeof(log))) {
			fprintf(stderr, "image rejected: %s\n", log);
			abort();
		}
		vtc_image_free(&img);
	}
	first = listing(src, &ok1);
	if (ok1) {
		second = listing(first, &ok2);
		if (!ok2 || strcmp(first, second)) {
			fprintf(stderr, "listing not stable:\n%s\n---\n%s\n",
				first, second ? second : "");
			abort();
		}
		free(second);
	}
	free(first);
	free(src);
	return 0;
}
