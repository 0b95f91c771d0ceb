# SPDX-License-Identifier: GPL-2.0-only
#
# ipcmbox: kernel module, library, tools and selftests.
#
#   make                    module + library + tools + examples, with what
#                           is installed (installs nothing)
#   make selftests          the selftests (installs linux-source for the
#                           kselftest harness)
#   make KERNEL=6.1|6.12|6.12-rt   build the module against that Debian kernel
#   make KVER=<release>     ... or against /lib/modules/<release>/build
#   make check              selftests in guests on 6.1 and 6.12 (installs deps)
#   make check-debug        selftests, fault injection, long stress and fuzz
#                           in KASAN and KCSAN guests (kernels built once),
#                           and the userspace under ASan+UBSan on 6.12
#   make demo               a short demonstration in a 6.12 guest
#   make bench              the comparison suite in a 6.12 guest: table,
#                           CSV, JSON and plots in build/bench/ (BENCH_ARGS=
#                           ipcmbox-bench options, BENCH_OUT= folder,
#                           BENCH_MODE=icount for instruction-count times);
#                           it starts with the semantics table
#   make bench-targets      the rows the performance targets name, in
#                           instruction-count mode, each target judged
#   make profile            instructions per send and receive of pipe,
#                           POSIX mq and ipcmbox, and their call graphs, in
#                           a one-CPU icount guest (build/profile/)
#   make scale              ipcmbox-scale in a two-CPU 6.12 guest: 1 to 64
#                           sender/receiver pairs on distinct and on one
#                           shared mailbox, 10 to 10,000 mailboxes, kernel
#                           bytes per empty mailbox (build/scale/)
#   make semantics          only the semantics table (boundaries, capacity,
#                           peer death, persistence ...) in a 6.12 guest
#   make vm-shell           interactive guest shell (KERNEL=..., default 6.12)
#   make vm-run CMD='...'   run one command in a guest
#   make lint               checkpatch --strict, sparse, ioctl registry check
#   make man                manual pages into build/man (needs rst2man)
#   make install            library, headers, libipcmbox.pc, ipcmbox and
#                           ipcmbox-bench, manual pages (MAN=0: none), bash
#                           completion, licences (DESTDIR, PREFIX, LIBDIR,
#                           MANDIR, ...); make uninstall; make modules_install
#
# Kbuild never reads this file: the root Kbuild and kmod/Kbuild do that job.

include config.mk

KERNEL	?=
KVER	?= $(shell tools/kver.sh $(KERNEL))
KDIR	?= /lib/modules/$(KVER)/build
LINUX_SRC := $(TOP)/build/linux-src
VM_KERNEL ?= $(if $(KERNEL),$(KERNEL),6.12)
VM	:= tools/vm/run-vm.sh
KBUILD_WERROR := $(if $(filter 1,$(WERROR)),IPCMBOX_WERROR=y)

# Plain make builds with what is installed and installs nothing; the
# selftests (which need the kernel source's kselftest harness), check,
# demo, bench and the guest targets install what they need.
all: module lib tools examples

RUNNING_KERNEL := $(shell uname -r)

module:
	@test -d "$(KDIR)" || { echo "no kernel build dir '$(KDIR)': run tools/deps.sh, or set KVER/KDIR" >&2; exit 1; }
	@if [ "$(origin KVER)$(origin KDIR)" = filefile ] && [ -z "$(KERNEL)" ] && \
	    [ "$(KVER)" != "$(RUNNING_KERNEL)" ]; then \
		echo "*** ipcmbox: no headers for the running kernel $(RUNNING_KERNEL)" \
		     "(/lib/modules/$(RUNNING_KERNEL)/build is missing)." >&2; \
		echo "*** ipcmbox: building the module for $(KVER) instead: it will" \
		     "not load into the running kernel." >&2; \
		echo "*** ipcmbox: install linux-headers-$(RUNNING_KERNEL), or choose" \
		     "with KERNEL=6.1|6.12|6.12-rt or KVER=<release>." >&2; \
	fi
	$(MAKE) -C $(KDIR) M=$(TOP) $(KBUILD_WERROR) modules

module-clean:
	@if test -d "$(KDIR)"; then $(MAKE) -C $(KDIR) M=$(TOP) clean; fi

lib:
	$(MAKE) -C lib

# Manual pages from Documentation/man/*.rst (rst2man: python3-docutils),
# into build/man/manN/.
MAN_SRCS := $(sort $(wildcard Documentation/man/*.rst))
MAN_OUT	:= $(TOP)/build/man
man: $(MAN_OUT)/.stamp
$(MAN_OUT)/.stamp: $(MAN_SRCS) Documentation/userspace-api.rst VERSION tools/man.sh
	rm -rf $(MAN_OUT)
	tools/man.sh $(MAN_OUT) $(VERSION) $(MAN_SRCS) >/dev/null
	touch $@

tools: lib
	$(MAKE) -C tools

examples: lib
	$(MAKE) -C examples

$(LINUX_SRC)/.stamp:
	tools/deps.sh build
	tools/linux-src.sh $(LINUX_SRC)

selftests: lib $(LINUX_SRC)/.stamp
	$(MAKE) -C selftests/ipcmbox KSFT_DIR=$(LINUX_SRC)/tools/testing/selftests

deps:
	tools/deps.sh build vm

check: deps
	tools/check.sh 6.1 6.12

check-debug: deps
	tools/deps.sh debug
	tools/check.sh kasan kcsan asan

demo: deps
	$(MAKE) all KERNEL=6.12
	$(VM) -k 6.12 -m kmod/ipcmbox.ko -c tools/demo.sh:/ipcmbox/demo.sh -- sh /ipcmbox/demo.sh

BENCH_OUT ?= build/bench/$(shell date -u +%Y%m%d-%H%M%S)
BENCH_ARGS ?= -n 2000 -t 300
# wall (multi-threaded TCG, times swing with the host's load) or icount
# (instruction count: the same plan gives the same times every run).
BENCH_MODE ?= wall

bench: deps
	tools/deps.sh bench
	$(MAKE) all KERNEL=6.12
	IPCMBOX_BENCH_ICOUNT=$(if $(filter icount,$(BENCH_MODE)),1,0) \
		tools/bench/run-guest.sh $(BENCH_OUT) $(BENCH_ARGS)

# The rows the performance targets name, in instruction-count mode, with
# a verdict per target (build/bench/targets-DATE/targets.txt).
TARGETS_OUT ?= build/bench/targets-$(shell date -u +%Y%m%d-%H%M%S)

bench-targets: deps
	tools/deps.sh bench
	$(MAKE) all KERNEL=6.12
	tools/bench/targets.sh $(TARGETS_OUT)

# Instructions per call and call graphs, in a one-CPU icount guest.
PROFILE_OUT ?= build/profile/$(shell date -u +%Y%m%d-%H%M%S)

profile: deps
	$(MAKE) all KERNEL=6.12
	tools/bench/profile.sh $(PROFILE_OUT) $(PROFILE_MECHS)

# Scaling: pairs on distinct and shared mailboxes, 10 to 10,000 mailboxes,
# kernel bytes per empty mailbox (SCALE_ARGS= ipcmbox-scale options).
SCALE_OUT ?= build/scale/$(shell date -u +%Y%m%d-%H%M%S)
scale: deps
	$(MAKE) all KERNEL=6.12
	IPCMBOX_SCALE_ARGS='$(SCALE_ARGS)' tools/bench/scale.sh $(SCALE_OUT)

semantics: deps
	$(MAKE) all KERNEL=6.12
	IPCMBOX_BENCH_SEMANTICS=only tools/bench/run-guest.sh $(BENCH_OUT)

vm-shell: deps
	$(MAKE) all selftests KERNEL=$(VM_KERNEL)
	$(VM) -k $(VM_KERNEL) -m kmod/ipcmbox.ko --shell

vm-run: deps
	@test -n "$(CMD)" || { echo "usage: make vm-run CMD='command' [KERNEL=6.1]" >&2; exit 2; }
	$(MAKE) all selftests KERNEL=$(VM_KERNEL)
	$(VM) -k $(VM_KERNEL) -m kmod/ipcmbox.ko -- $(CMD)

lint: $(LINUX_SRC)/.stamp
	tools/deps.sh build lint
	tools/lint.sh $(LINUX_SRC) $(if $(KERNEL),$(KERNEL),6.12)

clean: module-clean
	$(MAKE) -C lib clean
	$(MAKE) -C tools clean
	$(MAKE) -C examples clean
	$(MAKE) -C selftests/ipcmbox clean

distclean: clean
	rm -rf build

.PHONY: all module module-clean lib man tools examples selftests deps check check-debug demo bench bench-targets profile scale semantics vm-shell \
	vm-run lint clean distclean

include install.mk
