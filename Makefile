# vtrace top-level build.
#
#   make                 the CLI (build/vtrace) and the module for KDIR
#   make KDIR=/usr/src/linux-headers-X   the module for another kernel
#   make check           unit tests (ASan+UBSan) and kernel tests in QEMU
#   make check-unit      unit tests only (and the compiler's include order)
#   make check-lang      the language suite (tests/lang) on the host
#   make check-fuzz      a short fuzz pass of the compiler and the VM
#   make check-kernel    kernel tests only, on every installed test kernel
#   make try             boot a guest kernel with vtrace loaded, get a shell
#   make bench           vtrace beside bpftrace in 6.1 and 6.12 guests (tests/bench)
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

# The CLI and the C programs the kernel tests run in the guest.
cli: $(B)/vtrace $(KTEST_BINS)

$(B)/kernel-tests/%: tests/kernel/%.c tests/kernel/image_build.h vm/vtrace_uapi.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) $(CFLAGS) -Ivm -o $@ $<

# The uprobe tests' target needs DWARF and its functions kept (t_56).
$(B)/kernel-tests/uprobe_target: tests/kernel/uprobe_target.c
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

# The compiler's folders include one way (tests/layout), then the tests.
check-unit: $(TEST_BINS)
	@tests/layout/check-includes
	@tests/unit/run $(TEST_BINS)

check-kernel: cli
	tests/kernel/run

# vtrace beside bpftrace, one guest per kernel; a table with ratios.
.PHONY: bench
bench: cli
	tests/bench/run

try: cli
	tests/vm/run --interactive

demo: cli
	tests/vm/run -- vtrace docs/examples/reads.stp

deps:
	tests/vm/install-deps

# libFuzzer targets (clang): build/fuzz/fuzz_vm (images into the loader
# and interpreter) and build/fuzz/fuzz_compiler (scripts into the
# compiler), plus seed images for fuzz_vm.  `make fuzz-short` runs each
# 30 s; `make fuzz FUZZ_SECONDS=600` runs each that long (0: build only).
FUZZ_CC      ?= clang
FUZZ_FLAGS   := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined
FUZZ_SECONDS ?= 0
FUZZ_COMP_SRCS := $(COMP_SRCS)

$(B)/fuzz/fuzz_vm: tests/fuzz/fuzz_vm.c $(VM_SRCS) tests/unit/host_mock.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Ivm -Itests/unit -o $@ tests/fuzz/fuzz_vm.c $(VM_SRCS) tests/unit/host_mock.c

$(B)/fuzz/fuzz_compiler: tests/fuzz/fuzz_compiler.c $(VM_SRCS) $(FUZZ_COMP_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Ivm -Icompiler -o $@ tests/fuzz/fuzz_compiler.c $(FUZZ_COMP_SRCS) $(filter-out vm/interp.c vm/helpers.c vm/memread.c,$(VM_SRCS)) -lelf -ldw

$(B)/fuzz/seeds_vm/.done: tests/fuzz/fuzz_vm.c $(VM_SRCS) $(FUZZ_COMP_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -DFUZZ_VM_SEEDS -Ivm -Icompiler -o $(B)/fuzz/fuzz_vm_seeds tests/fuzz/fuzz_vm.c $(FUZZ_COMP_SRCS) $(filter-out vm/interp.c vm/helpers.c vm/memread.c,$(VM_SRCS)) -lelf -ldw
	rm -f $(dir $@)*.img && $(B)/fuzz/fuzz_vm_seeds $(dir $@) && touch $@

.PHONY: fuzz fuzz-short check-fuzz
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

# The short fuzz pass that `make check` runs (tests/fuzz/run).
check-fuzz:
	tests/fuzz/run

clean:
	rm -rf $(B)
