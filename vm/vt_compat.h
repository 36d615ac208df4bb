/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vt_compat.h - the only header vm/ takes from its surroundings.  In the
 * kernel it maps to kernel headers; in user space to the C library's
 * freestanding headers plus memcpy/memset/memcmp.  vm/ code uses only
 * the names defined here.
 */
#ifndef VT_COMPAT_H
#define VT_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/compiler.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
#endif

/*
 * Publication of map links and incarnations (vm/map.c): a u32 or u64
 * stored with release semantics, loaded with acquire semantics; and the
 * two fences of a sequence check (writer: vt_smp_wmb() between marking
 * an entry and rewriting it; reader: vt_smp_rmb() between reading it
 * and reading the mark again).
 */
#ifdef __KERNEL__
#include <asm/barrier.h>
#define vt_store_release(p, v)	smp_store_release((p), (v))
#define vt_load_acquire(p)	smp_load_acquire((p))
#define vt_smp_rmb()		smp_rmb()
#define vt_smp_wmb()		smp_wmb()
#else
#define vt_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define vt_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define vt_smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define vt_smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#endif

/*
 * Compare-and-swap of a u32 or u64 (the stack table, vm/stack.c): the
 * old value; a full barrier.  READ_ONCE for the loads it retries on.
 */
#ifdef __KERNEL__
#include <linux/atomic.h>
#define vt_cmpxchg(p, o, n)	cmpxchg((p), (o), (n))
#else
#define vt_cmpxchg(p, o, n)	__sync_val_compare_and_swap((p), (o), (n))
#ifndef READ_ONCE
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#endif
#endif

#define VT_S64_MIN ((s64)(-0x7fffffffffffffffLL - 1))
#define VT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* VT_COMPAT_H */
