// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_compiler_btf.c - kernel function signatures from BTF
 * (compiler/btf.c): a hand-made BTF file with one function; parameter
 * kinds, sizes and registers; a function it does not describe.  The
 * file is read once per process, so all checks share one file.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>

#include "btf.h"

static const char strs[] = "\0int\0fd\0buf\0count\0myfn\0ulong";
#define S_INT 1
#define S_FD 5
#define S_BUF 8
#define S_COUNT 12
#define S_MYFN 18
#define S_ULONG 23

static char path[] = "/tmp/vtrace-btf-XXXXXX";

static void put(FILE *f, uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t w[3] = { a, b, c };

	fwrite(w, sizeof(w), 1, f);
}

/* Types: 1 int, 2 int *, 3 unsigned long, 4 proto(fd, buf, count),
 * 5 FUNC myfn. */
static void write_btf(void)
{
	struct btf_header h = { .magic = BTF_MAGIC, .version = 1,
				.hdr_len = sizeof(h) };
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	uint32_t enc;

	ck_assert_ptr_nonnull(f);
	h.type_len = 16 + 12 + 16 + (12 + 3 * 8) + 12;
	h.str_off = h.type_len;
	h.str_len = sizeof(strs);
	fwrite(&h, sizeof(h), 1, f);
	put(f, S_INT, BTF_KIND_INT << 24, 4);
	enc = BTF_INT_SIGNED << 24 | 32;
	fwrite(&enc, 4, 1, f);
	put(f, 0, BTF_KIND_PTR << 24, 1);
	put(f, S_ULONG, BTF_KIND_INT << 24, 8);
	enc = 64;
	fwrite(&enc, 4, 1, f);
	put(f, 0, BTF_KIND_FUNC_PROTO << 24 | 3, 1);
	fwrite((uint32_t[]){ S_FD, 1, S_BUF, 2, S_COUNT, 3 }, 24, 1, f);
	put(f, S_MYFN, BTF_KIND_FUNC << 24, 4);
	fwrite(strs, sizeof(strs), 1, f);
	fclose(f);
	setenv("VTRACE_BTF", path, 1);
}

START_TEST(test_params)
{
	struct elf_proto pr;

	write_btf();
	ck_assert_int_eq(btf_proto_read("myfn", &pr), 1);
	ck_assert_uint_eq(pr.nparams, 3);
	ck_assert_str_eq(pr.params[0].name, "fd");
	ck_assert_int_eq(pr.params[0].v.kind, 'i');
	ck_assert_int_eq(pr.params[0].v.size, 4);
	ck_assert_int_eq(pr.params[0].v.argno, 1);
	ck_assert_str_eq(pr.params[1].name, "buf");
	ck_assert_int_eq(pr.params[1].v.kind, 'p');
	ck_assert_int_eq(pr.params[1].v.argno, 2);
	ck_assert_str_eq(pr.params[2].name, "count");
	ck_assert_int_eq(pr.params[2].v.kind, 'u');
	ck_assert_int_eq(pr.params[2].v.size, 8);
	ck_assert_int_eq(pr.params[2].v.argno, 3);
	ck_assert_int_eq(pr.ret.kind, 'i');
	elf_proto_free(&pr);
	ck_assert_int_eq(btf_proto_read("other", &pr), 0);
	ck_assert_uint_eq(pr.nparams, 0);
	unlink(path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("btf");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_params);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
