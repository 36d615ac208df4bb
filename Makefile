# vtrace top-level build.
#
#   make                 the CLI (build/vtrace) and the module for KDIR
#   make KDIR=/usr/src/linux-headers-X   the module for another kernel
#   make check           unit tests (ASan+UBSan) and kernel tests in QEMU
#   make check-unit      unit tests only (and the compiler's include order,
#                        and that docs/isa.md is current)
#   make isa-doc         regenerate docs/isa.md from vm/vt_isa.h (tools/isa-doc.c)
#   make check-lang      the language suite (tests/lang) on the host
#   make check-fuzz      a short fuzz pass of the compiler and the VM
#   make fuzz-long       fuzz_vm for 30 minutes, with coverage (tests/fuzz/long)
#   make check-kernel    kernel tests only, on every installed test kernel
#   make try             boot a guest kernel with vtrace loaded, get a shell
#   make fuzz-guest      1,000,000 structure-aware images through the ioctls of
#                        each guest kernel (FUZZ_GUEST_IMAGES=N; tests/kernel/README.md)
#   make soak            30 minutes of stress-ng while vtrace sessions of every
#                        provider are started and killed at random, in each
#                        guest kernel; then unload and leak checks (SOAK_MINUTES=N)
#   make bench           vtrace beside bpftrace in 6.1 and 6.12 guests (tests/bench)
#   make bench-vm        the VM's slowest instructions, each under 0.2 ms (host)
#   make deps            install build and test dependencies (Debian 12, root)
#   make demo            run docs/examples/reads.stp in a guest kernel
#   make clean
#
# Userspace objects go to build/, sanitized test objects to build/san/, the
# module to build/kmod/<kernelrelease>/ (a tree of links to kmod/ and vm/,
# so one checkout builds for several kernels at once).

CC      ?= gcc
CSTD    := -std=c11 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror
CFLAGS  ?= -O2 -g
INCS    := -Ivm -Icompiler -Icli
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LIBS    := -lreadline -lelf -ldw
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

B := build
KDIR ?= /lib/modules/$(shell uname -r)/build

VM_SRCS   := $(wildcard vm/*.c)
COMP_SRCS := $(wildcard compiler/*.c compiler/*/*.c)	# by pass: compiler/README.md
CLI_SRCS  := $(filter-out cli/main.c,$(wildcard cli/*.c))
LIB_SRCS  := $(VM_SRCS) $(COMP_SRCS) $(CLI_SRCS)
TEST_SRCS := $(wildcard tests/unit/test_*.c)
TEST_SUPPORT := $(filter-out $(TEST_SRCS),$(wildcard tests/unit/*.c))
HDRS      := $(wildcard vm/*.h compiler/*.h compiler/*/*.h cli/*.h tests/unit/*.h)

LIB_OBJS     := $(LIB_SRCS:%.c=$(B)/obj/%.o)
SAN_LIB_OBJS := $(LIB_SRCS:%.c=$(B)/san/%.o) $(TEST_SUPPORT:%.c=$(B)/san/%.o)
TEST_BINS    := $(TEST_SRCS:tests/unit/%.c=$(B)/san/tests/%)
KTEST_BINS   := $(patsubst tests/kernel/%.c,$(B)/kernel-tests/%,$(wildcard tests/kernel/*.c))

# Objects made on the way to a test binary are kept, not rebuilt each run.
.SECONDARY:

.PHONY: all cli kmod check check-unit check-lang check-kernel try demo deps clean
all: cli kmod

# The CLI and the C programs the kernel tests run in the guest (t_66 runs
# the VM benchmark there).
cli: $(B)/vtrace $(KTEST_BINS) $(B)/bench/vm_worst

$(B)/kernel-tests/%: tests/kernel/%.c $(wildcard tests/kernel/*.h) vm/vtrace_uapi.h vm/vt_isa.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) $(CFLAGS) -Ivm -o $@ $<

# ioctl_snapbig checks its copies with vt_map_check() (vm/map.c).
$(B)/kernel-tests/ioctl_snapbig: tests/kernel/ioctl_snapbig.c tests/kernel/image_build.h $(HDRS) $(B)/libvtrace.a
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) $(CFLAGS) -Ivm -o $@ $< $(B)/libvtrace.a

# The user stack tests' chain, with frame pointers (t_87).
$(B)/kernel-tests/ustack_target: tests/kernel/ustack_target.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) -O2 -fno-omit-frame-pointer -o $@ $<

# The uprobe tests' targets need DWARF and their functions kept (t_56;
# types_target for the typed target variables of issue 11).
$(B)/kernel-tests/uprobe_target $(B)/kernel-tests/types_target: $(B)/kernel-tests/%: tests/kernel/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) -g -O0 -o $@ $<

# The CLI links a thin archive, so it pulls only what it calls (not the
# interpreter, whose vt_host_* functions only the module and the tests
# provide); members keep their paths, so vm/format.o and compiler/format.o
# do not collide.
$(B)/libvtrace.a: $(LIB_OBJS)
	rm -f $@ && ar rcsT $@ $^

$(B)/vtrace: $(B)/obj/cli/main.o $(B)/libvtrace.a
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(B)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(INCS) -c -o $@ $<

$(B)/san/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -g $(SAN) $(INCS) -Itests/unit -c -o $@ $<

$(B)/san/tests/%: $(B)/san/tests/unit/%.o $(SAN_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(CHECK_LIBS) $(LIBS)

# The module.  Skipped with a note when KDIR has no kernel build tree
# (as on a host that cannot load modules; tests build for their guest).
kmod:
	@if [ -d "$(KDIR)" ]; then \
		tests/vm/build-kmod "$(KDIR)"; \
	else \
		echo "note: no kernel headers at $(KDIR); module not built" \
		     "(make KDIR=/usr/src/linux-headers-VERSION to build one)"; \
	fi

check:
	tests/run-all

check-lang: cli
	tests/lang/run

# The compiler's folders include one way (tests/layout), docs/isa.md is
# what tools/isa-doc makes of vm/vt_isa.h, then the tests.
check-unit: $(TEST_BINS) $(B)/isa-doc
	@tests/layout/check-includes
	@$(B)/isa-doc vm/vt_isa.h | cmp -s - docs/isa.md || { \
		echo "isa-doc: docs/isa.md is not current: run make isa-doc"; \
		exit 1; }
	@tests/unit/run $(TEST_BINS)

# The instruction set reference, from the opcode and helper tables.
.PHONY: isa-doc
$(B)/isa-doc: tools/isa-doc.c vm/isa.c vm/vt_isa.h vm/vtrace_uapi.h vm/vt_compat.h
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -Ivm -o $@ tools/isa-doc.c vm/isa.c

isa-doc: $(B)/isa-doc
	$(B)/isa-doc vm/vt_isa.h > docs/isa.md.tmp && mv docs/isa.md.tmp docs/isa.md

check-kernel: cli
	tests/kernel/run

# The long guest ioctl fuzz: FUZZ_GUEST_IMAGES structure-aware images per
# kernel (tests/kernel/fuzz-guest; t_33 in check-kernel is the short one).
FUZZ_GUEST_IMAGES ?= 1000000
.PHONY: fuzz-guest
fuzz-guest: cli
	tests/kernel/fuzz-guest $(FUZZ_GUEST_IMAGES)

# The soak: SOAK_MINUTES of stress-ng load while vtrace sessions of every
# provider start and are killed at random, in a guest of each kernel
# (tests/soak/README.md).
SOAK_MINUTES ?= 30
.PHONY: soak
soak: cli
	tests/soak/run $(SOAK_MINUTES)

# vtrace beside bpftrace, one guest per kernel; a table with ratios.
.PHONY: bench
bench: cli
	tests/bench/run

# The VM's worst-case instructions, -O2 without sanitizers, on the mock
# host; fails if one takes more than 0.2 ms (tests/bench/vm_worst.c).
.PHONY: bench-vm
BENCH_VM_SRCS := tests/bench/vm_worst.c $(VM_SRCS) tests/unit/host_mock.c tests/unit/imgbuild.c
$(B)/bench/vm_worst: $(BENCH_VM_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O2 -g -Ivm -Itests/unit -o $@ $(BENCH_VM_SRCS) -lpthread

bench-vm: $(B)/bench/vm_worst
	$(B)/bench/vm_worst

try: cli
	tests/vm/run --interactive

demo: cli
	tests/vm/run -- vtrace docs/examples/reads.stp

deps:
	tests/vm/install-deps

# libFuzzer targets (clang): build/fuzz/fuzz_vm (images into the loader
# and interpreter, with a structure-aware mutator) and
# build/fuzz/fuzz_compiler (scripts into the compiler), plus seed images
# for fuzz_vm.  `make fuzz-short` runs each 30 s; `make fuzz
# FUZZ_SECONDS=600` runs each that long (0: build only); `make fuzz-long`
# runs fuzz_vm 30 minutes (FUZZ_LONG_SECONDS) and reports its coverage.
FUZZ_CC      ?= clang
FUZZ_FLAGS   := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined
FUZZ_SECONDS ?= 0
FUZZ_COMP_SRCS := $(COMP_SRCS)

FUZZ_VM_SRCS := tests/fuzz/fuzz_vm.c tests/fuzz/fuzz_vm_mutate.c $(VM_SRCS) tests/unit/host_mock.c

$(B)/fuzz/fuzz_vm: $(FUZZ_VM_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Ivm -Itests/unit -o $@ $(FUZZ_VM_SRCS)

# The same target with source coverage instrumentation, for fuzz-long.
$(B)/fuzz/fuzz_vm_cov: $(FUZZ_VM_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping -Ivm -Itests/unit -o $@ $(FUZZ_VM_SRCS)

$(B)/fuzz/fuzz_compiler: tests/fuzz/fuzz_compiler.c $(VM_SRCS) $(FUZZ_COMP_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Ivm -Icompiler -o $@ tests/fuzz/fuzz_compiler.c $(FUZZ_COMP_SRCS) $(filter-out vm/interp.c vm/helpers.c vm/memread.c,$(VM_SRCS)) -lelf -ldw

$(B)/fuzz/seeds_vm/.done: tests/fuzz/fuzz_vm.c $(VM_SRCS) $(FUZZ_COMP_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -DFUZZ_VM_SEEDS -Ivm -Icompiler -o $(B)/fuzz/fuzz_vm_seeds tests/fuzz/fuzz_vm.c $(FUZZ_COMP_SRCS) $(filter-out vm/interp.c vm/helpers.c vm/memread.c,$(VM_SRCS)) -lelf -ldw
	rm -f $(dir $@)*.img && $(B)/fuzz/fuzz_vm_seeds $(dir $@) && touch $@

.PHONY: fuzz fuzz-short fuzz-long check-fuzz
fuzz: $(B)/fuzz/fuzz_vm $(B)/fuzz/fuzz_compiler $(B)/fuzz/seeds_vm/.done
	@if [ "$(FUZZ_SECONDS)" -gt 0 ]; then \
		mkdir -p $(B)/fuzz/corpus_vm $(B)/fuzz/corpus && \
		$(B)/fuzz/fuzz_vm -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(B)/fuzz/ $(B)/fuzz/corpus_vm $(B)/fuzz/seeds_vm && \
		$(B)/fuzz/fuzz_compiler -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(B)/fuzz/ $(B)/fuzz/corpus; \
	fi

fuzz-short:
	$(MAKE) fuzz FUZZ_SECONDS=30

# fuzz_vm for FUZZ_LONG_SECONDS (30 min) from its corpus and seeds; then
# the corpus replayed through an instrumented build for a source coverage
# summary of vm/ (tests/fuzz/long, docs/runtime.md "Fuzzing").
FUZZ_LONG_SECONDS ?= 1800
fuzz-long: $(B)/fuzz/fuzz_vm $(B)/fuzz/fuzz_vm_cov $(B)/fuzz/seeds_vm/.done
	tests/fuzz/long $(FUZZ_LONG_SECONDS)

# The short fuzz pass that `make check` runs (tests/fuzz/run).
check-fuzz:
	tests/fuzz/run

clean:
	rm -rf $(B)
