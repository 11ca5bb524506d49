# SPDX-License-Identifier: GPL-2.0-only
#
# btfenc — DWARF to BTF encoder.
#   make            build build/btfenc
#   make check      install test dependencies if missing, unit + end-to-end tests,
#                   then the same suite under ASan/UBSan
#   make demo       install dependencies, build, encode the default input, print a summary
#   make install    PREFIX=/usr/local DESTDIR=
#   make bench      btfenc vs pahole side by side (never in CI)
#   make fuzz       the libFuzzer harnesses (clang), FUZZ_SECONDS=60 each
#   V=1             show commands

VERSION      := 0.1.0
PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
MANDIR       ?= $(PREFIX)/share/man
CC           ?= cc
PKG_CONFIG   ?= pkg-config
O            ?= build

CFLAGS       ?= -O2 -g
# Link-time optimisation for the btfenc binary: its hot paths cross files
# (DIE scan, attribute decoding, records, strings), 3 % fewer instructions on
# vmlinux. Objects keep ordinary code too (-ffat-lto-objects), so the tests
# link them without it. gcc only; LTO= (or -fno-lto in CFLAGS) turns it off.
CC_IS_GCC    := $(shell $(CC) --version 2>/dev/null | grep -q 'Free Software Foundation' && echo 1)
ifeq ($(CC_IS_GCC),1)
LTO          ?= -flto=auto -ffat-lto-objects
endif
NO_LTO       := $(if $(LTO),-fno-lto)
WARNFLAGS    := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ifneq ($(WERROR),)
WARNFLAGS    += -Werror
endif
PKGS         := libdw libelf libbpf zlib
PKG_CFLAGS   := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS     := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null || echo -ldw -lelf -lbpf -lz)
ALL_CFLAGS   := $(CFLAGS) $(WARNFLAGS) $(PKG_CFLAGS) -std=gnu11 -D_GNU_SOURCE \
		-DBTFENC_VERSION='"$(VERSION)"' -I. -MMD -MP
ALL_LDFLAGS  := $(LDFLAGS)
LIBS         := $(PKG_LIBS) -lpthread

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-6s %s\n' $(1) $(2);
endif

LIB_DIRS     := util dwarf_loader btf_loader btf_reader btf_builder btf_dedup btf_encoder inspect
LIB_SRCS     := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
CLI_SRCS     := $(wildcard cli/*.c)
LIB_OBJS     := $(patsubst %.c,$(O)/%.o,$(LIB_SRCS))
CLI_OBJS     := $(patsubst %.c,$(O)/%.o,$(CLI_SRCS))
# The test build's fault hooks (tests/fault/alloc_fault.h), never in the product:
# check-san builds with FAULT=1.
ifneq ($(FAULT),)
ALL_CFLAGS   += -include tests/fault/alloc_fault.h
LIB_OBJS     += $(O)/tests/fault/alloc_fault.o
endif
UNIT_SRCS    := $(wildcard tests/unit/test_*.c)
UNIT_BINS    := $(patsubst tests/unit/%.c,$(O)/tests/%,$(UNIT_SRCS))

.PHONY: all clean check check-unit check-e2e check-san check-man demo install bench deps \
	deps-build check-kernel check-kbuild layer-figures gbtf-figures fuzz fuzz-run

all: $(O)/btfenc

$(O)/%.o: %.c
	$(call msg,CC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LTO) $(ALL_CFLAGS) -c -o $@ $<

$(O)/libbtfenc.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/btfenc: $(CLI_OBJS) $(O)/libbtfenc.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LTO) $(CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# Unit tests link the library and the option parser (not main()).
$(O)/tests/%: tests/unit/%.c $(O)/libbtfenc.a $(O)/cli/options.o
	$(call msg,CC,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(NO_LTO) $(ALL_LDFLAGS) -o $@ $< $(O)/cli/options.o $(O)/libbtfenc.a \
		$(LIBS) -lcmocka

# The dedup differential test (tests/tools/dedup_diff.c): btf_dedup/ against libbpf's
# btf__dedup() on random type graphs. make check runs it with Debian's libbpf and libbpf
# 1.1.2's rules; LIBBPF_DIR=DIR links the libbpf installed in DIR (include/, lib/ or lib64/),
# DEDUP_DIFF_ARGS picks the rules and seeds (e.g. --rules=f7081a6b --seeds=20000).
DEDUP_DIFF_SRCS := tests/tools/dedup_diff.c tests/tools/dedup_gen.c
DEDUP_DIFF_SEEDS ?= 10000
ifneq ($(LIBBPF_DIR),)
DEDUP_DIFF   := $(O)/dedup_diff-$(notdir $(abspath $(LIBBPF_DIR)))
$(DEDUP_DIFF): DEDUP_DIFF_FLAGS := -I$(abspath $(LIBBPF_DIR))/include \
	-DLIBBPF_ORIGIN='"$(abspath $(LIBBPF_DIR))"'
$(DEDUP_DIFF): DEDUP_DIFF_LIBS := $(firstword $(wildcard $(abspath $(LIBBPF_DIR))/lib/libbpf.a \
	$(abspath $(LIBBPF_DIR))/lib64/libbpf.a) $(abspath $(LIBBPF_DIR))/lib/libbpf.a) -lelf -lz
else
DEDUP_DIFF   := $(O)/dedup_diff
$(DEDUP_DIFF): DEDUP_DIFF_LIBS := $(LIBS)
endif

$(DEDUP_DIFF): $(DEDUP_DIFF_SRCS) tests/tools/dedup_gen.h $(O)/libbtfenc.a
	$(call msg,CC,$@)
	$(Q)$(CC) $(DEDUP_DIFF_FLAGS) $(ALL_CFLAGS) $(NO_LTO) $(ALL_LDFLAGS) -o $@ \
		$(DEDUP_DIFF_SRCS) $(O)/libbtfenc.a $(DEDUP_DIFF_LIBS) -lpthread

DEDUP_DIFF_ARGS ?= --seeds=$(DEDUP_DIFF_SEEDS)
.PHONY: check-dedup-diff
check-dedup-diff: $(DEDUP_DIFF)
	$(Q)$(DEDUP_DIFF) $(DEDUP_DIFF_ARGS)

$(O)/kload: tests/tools/kload.c $(O)/libbtfenc.a
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(NO_LTO) $(ALL_LDFLAGS) -o $@ $< $(O)/libbtfenc.a $(LIBS)

$(O)/kverdict: tests/tools/kverdict.c $(O)/libbtfenc.a
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(NO_LTO) $(ALL_LDFLAGS) -o $@ $< $(O)/libbtfenc.a $(LIBS)

# Fuzz harnesses (tests/fuzz/): each one's entry points linked with a replay driver,
# which check-e2e runs on the inputs kept in tests/data/fuzz/HARNESS/, or with clang's
# libFuzzer by `make fuzz` (build-fuzz/, corpora seeded from the fixtures, each harness
# run for FUZZ_SECONDS; new crashes in build-fuzz/fuzz/crash/HARNESS/).
FUZZ_HARNESSES := btf split elf options
FUZZ_SECONDS   ?= 60
FUZZ_OBJS      := $(O)/tests/fuzz/common.o $(O)/cli/options.o $(O)/libbtfenc.a
FUZZ_REPLAYS   := $(addprefix $(O)/fuzz-replay/,$(FUZZ_HARNESSES))
# The harness objects are kept: both kinds of binary link them.
.SECONDARY: $(patsubst %,$(O)/tests/fuzz/fuzz_%.o,$(FUZZ_HARNESSES)) $(O)/tests/fuzz/replay.o
$(O)/tests/fuzz/common.o: ALL_CFLAGS += -DFUZZ_DATA_DIR='"$(abspath tests/data)"'

$(O)/fuzz-replay/%: $(O)/tests/fuzz/fuzz_%.o $(O)/tests/fuzz/replay.o $(FUZZ_OBJS)
	$(call msg,LINK,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(NO_LTO) $(CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(O)/fuzz/%: $(O)/tests/fuzz/fuzz_%.o $(FUZZ_OBJS)
	$(call msg,LINK,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

fuzz:
	$(Q)$(MAKE) --no-print-directory O=build-fuzz CC=clang LTO= \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
		-fno-sanitize-recover=undefined" LDFLAGS="-fsanitize=address,undefined" fuzz-run

fuzz-run: $(addprefix $(O)/fuzz/,$(FUZZ_HARNESSES)) $(O)/btfenc
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) BTFENC=$(abspath $(O)/btfenc) \
		tests/fuzz/run.sh $(abspath $(O)) $(FUZZ_HARNESSES)

# deps: everything make check needs; deps-build: only what make and make demo need.
deps:
	$(Q)scripts/install-deps.sh check

deps-build:
	$(Q)scripts/install-deps.sh build

check: deps
	$(Q)$(MAKE) --no-print-directory check-man check-unit check-dedup-diff check-e2e
	$(Q)$(MAKE) --no-print-directory check-san

# The man page renders without a single groff or man warning.
check-man:
	$(Q)out=$$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l man/btfenc.1 2>&1 >/dev/null); \
	if [ -n "$$out" ]; then echo "$$out"; echo "man page: warnings"; exit 1; fi; \
	echo "man page: no warnings"

check-unit: $(UNIT_BINS)
	$(Q)tests/run-unit.sh $(UNIT_BINS)

check-e2e: $(O)/btfenc $(O)/kload $(O)/kverdict $(FUZZ_REPLAYS)
	$(Q)FUZZ_REPLAY=$(abspath $(O)/fuzz-replay) tests/e2e/fuzz_replay.sh
	$(if $(FAULT),$(Q)BTFENC=$(abspath $(O)/btfenc) tests/e2e/faults.sh)
	$(Q)BTFENC=$(abspath $(O)/btfenc) KVERDICT=$(abspath $(O)/kverdict) tests/e2e/kverdict.sh
	$(Q)BTFENC=$(abspath $(O)/btfenc) KLOAD=$(abspath $(O)/kload) tests/e2e/run.sh
	$(Q)BTFENC=$(abspath $(O)/btfenc) KLOAD=$(abspath $(O)/kload) tests/e2e/vars.sh
	$(Q)BTFENC=$(abspath $(O)/btfenc) KLOAD=$(abspath $(O)/kload) tests/e2e/layers.sh
	$(Q)BTFENC=$(abspath $(O)/btfenc) KLOAD=$(abspath $(O)/kload) tests/e2e/inspect.sh
	$(Q)BTFENC=$(abspath $(O)/btfenc) tests/e2e/oracle.sh
	$(Q)BTFENC=$(abspath $(O)/btfenc) tests/e2e/btf_input.sh
	$(Q)BTFENC=$(abspath $(O)/btfenc) tests/e2e/writefail.sh

# The same suite built with AddressSanitizer and UBSan in build-san/.
check-san:
	$(Q)$(MAKE) --no-print-directory O=build-san LTO= FAULT=1 \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
		-fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=address,undefined" check-unit check-dedup-diff check-e2e

demo: deps-build all
	$(Q)scripts/demo.sh $(abspath $(O)/btfenc)

bench: all $(O)/dwalk
	$(Q)scripts/bench.sh $(abspath $(O)/btfenc)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(O)/btfenc $(DESTDIR)$(BINDIR)/btfenc
	install -m 0644 man/btfenc.1 $(DESTDIR)$(MANDIR)/man1/btfenc.1

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(UNIT_BINS:=.d) $(wildcard $(O)/tests/fuzz/*.d)

# Debian's 6.1 cloud kernel (fetched into $BTFENC_CACHE) against its embedded .BTF.
check-kernel: deps $(O)/btfenc $(O)/kload
	$(Q)BTFENC=$(abspath $(O)/btfenc) KLOAD=$(abspath $(O)/kload) tests/kernel/check.sh

$(O)/dwalk: tests/tools/dwalk.c
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBS)

# Linux 6.1 and 6.12 tinyconfig kernels and an external module built with PAHOLE=btfenc
# (Debian's linux-source-6.1 and linux-source-6.12; sources, build trees and initramfs
# cached in $BTFENC_CACHE/kbuild), each with gcc and with LLVM=1, each booted under qemu;
# the kernel must accept both BTFs and refuse a corrupted one; 6.12-gcc-alt, a second 6.12
# build whose vmlinux BTF differs, must load 6.12-gcc's module (its distilled BTF
# relocated). Also compares the vmlinux and module BTF with pahole 1.24's. -y and -m: the
# CONFIG_DEBUG_INFO_BTF_VARS tristate (tests/kbuild/btf-vars) at y and m, vmlinux_btf_extra
# loaded and read in the guest (the other variants are n). Every guest runs BPF programs
# through libbpf: typed __ksym variables, and kfunc calls on 6.12.
KBUILD_VARIANTS ?= 6.1-gcc 6.1-llvm 6.12-gcc 6.12-gcc-alt 6.12-llvm 6.1-gcc-y 6.1-gcc-m \
	6.12-gcc-y 6.12-gcc-m
.PHONY: check-kbuild
check-kbuild: deps $(O)/btfenc $(O)/kload
	$(Q)rc=0; for v in $(KBUILD_VARIANTS); do \
		BTFENC=$(abspath $(O)/btfenc) KLOAD=$(abspath $(O)/kload) KBUILD_VARIANT=$$v \
			bash tests/kbuild/run.sh || rc=1; \
	done; exit $$rc

# Bytes per layer for the n / y / m variable options on Debian's cloud kernel.
layer-figures: $(O)/btfenc
	$(Q)scripts/layer-figures.sh $(abspath $(O)/btfenc)

# DWARF against gcc -gbtf on the 6.1 tinyconfig kernel (trees: scripts/gbtf-figures.sh).
gbtf-figures: $(O)/btfenc
	$(Q)scripts/gbtf-figures.sh $(abspath $(O)/btfenc)
