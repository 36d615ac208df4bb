// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_compiler_btf.c - kernel function signatures from BTF
 * (compiler/probes/btf.c): a hand-made BTF file with four functions; parameter
 * kinds, sizes and registers; return types and $return in their
 * .return probes, run against the mock host's rax; a function it does
 * not describe.  The file is read once per process, so all checks share
 * one file, written before the tests.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>

#include "probes/btf.h"
#include "compile_run.h"
#include "vt_vm.h"

static const char strs[] = "\0int\0fd\0buf\0count\0myfn\0ulong\0uchar"
			   "\0voidfn\0ucharfn\0ptrfn";
#define S_INT 1
#define S_FD 5
#define S_BUF 8
#define S_COUNT 12
#define S_MYFN 18
#define S_ULONG 23
#define S_UCHAR 29
#define S_VOIDFN 35
#define S_UCHARFN 42
#define S_PTRFN 50

static char path[] = "/tmp/vtrace-btf-XXXXXX";

static void put(FILE *f, uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t w[3] = { a, b, c };

	fwrite(w, sizeof(w), 1, f);
}

/* Types: 1 int, 2 int *, 3 unsigned long, 4 int proto(fd, buf, count),
 * 5 FUNC myfn, 6 unsigned char, 7 void proto(), 8 FUNC voidfn,
 * 9 unsigned char proto(), 10 FUNC ucharfn, 11 int *proto(), 12 FUNC
 * ptrfn.  Exits 1 when it cannot (outside any test: no ck_assert). */
static void write_btf(void)
{
	struct btf_header h = { .magic = BTF_MAGIC, .version = 1,
				.hdr_len = sizeof(h) };
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	uint32_t enc;

	if (!f) {
		perror(path);
		exit(1);
	}
	h.type_len = 16 + 12 + 16 + (12 + 3 * 8) + 12 + 16 + 6 * 12;
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
	put(f, S_UCHAR, BTF_KIND_INT << 24, 1);
	enc = 8;
	fwrite(&enc, 4, 1, f);
	put(f, 0, BTF_KIND_FUNC_PROTO << 24, 0);
	put(f, S_VOIDFN, BTF_KIND_FUNC << 24, 7);
	put(f, 0, BTF_KIND_FUNC_PROTO << 24, 6);
	put(f, S_UCHARFN, BTF_KIND_FUNC << 24, 9);
	put(f, 0, BTF_KIND_FUNC_PROTO << 24, 2);
	put(f, S_PTRFN, BTF_KIND_FUNC << 24, 11);
	fwrite(strs, sizeof(strs), 1, f);
	fclose(f);
	setenv("VTRACE_BTF", path, 1);
}

START_TEST(test_params)
{
	struct elf_proto pr;

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
}
END_TEST

/* $return in @point.return, run once with rax = @rax. */
static long long run_return(const char *point, u64 rax)
{
	char src[256];

	snprintf(src, sizeof(src), "probe %s.return { printf(\"%%d\", "
		 "$return) }", point);
	return compile_run_rax(src, rax);
}

#define KF(name) "kernel.function(\"" name "\")"

START_TEST(test_return)
{
	struct elf_proto pr;

	ck_assert_int_eq(btf_proto_read("voidfn", &pr), 1);
	ck_assert_int_eq(pr.ret.kind, 'v');
	elf_proto_free(&pr);
	ck_assert_int_eq(btf_proto_read("ucharfn", &pr), 1);
	ck_assert_int_eq(pr.ret.kind, 'u');
	ck_assert_int_eq(pr.ret.size, 1);
	elf_proto_free(&pr);
	ck_assert_int_eq(btf_proto_read("ptrfn", &pr), 1);
	ck_assert_int_eq(pr.ret.kind, 'p');
	elf_proto_free(&pr);

	/* int: rax's low 32 bits, sign-extended (an errno) */
	ck_assert_int_eq(run_return(KF("myfn"), 0xfffffffeull), -2);
	ck_assert_int_eq(run_return(KF("myfn"), 0x1234567800000009ull), 9);
	ck_assert_int_eq(run_return(KF("ucharfn"), ~0ull), 255);
	ck_assert_int_eq(run_return(KF("ptrfn"), 0xffff888012345678ull),
			 (long long)0xffff888012345678ull);
	/* not in BTF, or a module's function: all of rax, as before */
	ck_assert_int_eq(run_return(KF("other"), 0xfffffffeull),
			 4294967294LL);
	ck_assert_int_eq(run_return("module(\"m\").function(\"myfn\")",
				    0xfffffffeull), 4294967294LL);

	ck_assert_int_ne(compile_run("probe kernel.function(\"voidfn\").return"
				     " {\n x = $return }", 2, NULL), 0);
	ck_assert_msg(strstr(err_buf, "t.stp:2:6: error: 'voidfn' returns "
			     "void\n"), "%s", err_buf);
	/* points of one probe that differ (int, unsigned char): all of rax */
	ck_assert_int_eq(run_return(KF("myfn") ".return, " KF("ucharfn"),
				    0xfffffffeull), 4294967294LL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("btf");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	write_btf();
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_return);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	unlink(path);
	return failed ? 1 : 0;
}
