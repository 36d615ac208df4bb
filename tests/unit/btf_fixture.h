/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf_fixture.h - a small vmlinux-like BTF file for the typed target
 * expression tests (tests/unit/test_compiler_texpr.c and tests/lang, whose
 * run script writes it with tests/lang/mkbtf.c), encoded here rather than
 * taken from a kernel so that the tests do not depend on the host.  It
 * describes, as C would lay them out on x86-64:
 *
 *   typedef int pid_t;  typedef unsigned long size_t;  typedef long loff_t;
 *   struct qstr { unsigned int hash; unsigned int len;
 *                 const unsigned char *name; };                      16
 *   struct dentry { unsigned int d_flags; struct dentry *d_parent;
 *                   struct qstr d_name; };              0 8 16      32
 *   struct path { void *mnt; struct dentry *dentry; };              16
 *   struct file { unsigned int f_mode; unsigned int f_flags;
 *                 struct path f_path; loff_t f_pos; };  0 4 8 24    32
 *   struct bits { unsigned int a:3; int b:5; unsigned int c:24; };   4
 *   struct list_head { struct list_head *next, *prev; };            16
 *   enum state { S_RUN, S_SLEEP };
 *   struct opaque;                        (a forward declaration only)
 *   struct task_struct {
 *       long __state;                  0
 *       unsigned int flags;            8
 *       pid_t pid, tgid;               12 16
 *       char comm[16];                 20
 *       struct task_struct *parent;    40
 *       struct list_head children;     48
 *       union { int u_int; unsigned long u_long; };   64 (anonymous)
 *       struct bits bf;                72
 *       int arr[4];                    76
 *       void *stack;                   96
 *       enum state st;                 104
 *       struct opaque *opq;            112
 *   };                                 120
 *   long vfs_read(struct file *file, char *buf, size_t count,
 *                 loff_t *pos);
 *   int dentry_file(struct dentry *file);   ($file of another type)
 *   per-CPU: int runqueues;
 */
#ifndef VT_TEST_BTF_FIXTURE_H
#define VT_TEST_BTF_FIXTURE_H

/* Write the fixture to @path: 0, or -1 with errno. */
int btf_fixture_write(const char *path);

#endif /* VT_TEST_BTF_FIXTURE_H */
