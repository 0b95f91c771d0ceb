# SPDX-License-Identifier: GPL-2.0-only
# make install / uninstall / modules_install (included by the Makefile).
# GNU directory variables; DESTDIR for staged installs.  The programs are
# linked again at install time, without the tree's RUNPATH, against the
# library just built; they find the installed one as any program does.
# The manual pages need rst2man (python3-docutils); MAN=0 installs
# without them.
PREFIX		?= /usr/local
EXEC_PREFIX	?= $(PREFIX)
BINDIR		?= $(EXEC_PREFIX)/bin
LIBDIR		?= $(EXEC_PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
PKGCONFIGDIR	?= $(LIBDIR)/pkgconfig
DATADIR		?= $(PREFIX)/share
MANDIR		?= $(DATADIR)/man
DOCDIR		?= $(DATADIR)/doc/ipcmbox
BASHCOMPDIR	?= $(DATADIR)/bash-completion/completions
MAN		?= 1
INSTALL		?= install
# The UAPI header goes in a directory of the project's own, as liburing
# installs its io_uring.h: <linux/ipcmbox.h> is found through the
# -I$(INCLUDEDIR)/ipcmbox that libipcmbox.pc gives.
UAPIDIR		:= $(INCLUDEDIR)/ipcmbox

SHLIB		:= libipcmbox.so.$(VERSION)

# Each page and link page, by its section directory (man1/ipcmbox.1 ...).
MAN_NAMES	:= $(shell tools/man.sh --list $(MAN_SRCS))
DOC_FILES	:= README.md COPYING
LICENSE_FILES	:= $(wildcard LICENSES/*/*)

install: lib tools $(if $(filter 1,$(MAN)),man)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(UAPIDIR)/linux \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(DOCDIR)/LICENSES \
		$(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 0755 lib/$(SHLIB) $(DESTDIR)$(LIBDIR)/$(SHLIB)
	ln -sf $(SHLIB) $(DESTDIR)$(LIBDIR)/libipcmbox.so.0
	ln -sf libipcmbox.so.0 $(DESTDIR)$(LIBDIR)/libipcmbox.so
	$(INSTALL) -m 0644 lib/libipcmbox.a $(DESTDIR)$(LIBDIR)/libipcmbox.a
	$(INSTALL) -m 0644 include/ipcmbox.h include/ipcmbox_uring.h \
		$(DESTDIR)$(INCLUDEDIR)/
	$(INSTALL) -m 0644 include/uapi/linux/ipcmbox.h \
		$(DESTDIR)$(UAPIDIR)/linux/ipcmbox.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    lib/libipcmbox.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libipcmbox.pc
	$(MAKE) -C tools install BINDIR=$(BINDIR)
	$(INSTALL) -m 0644 $(DOC_FILES) $(DESTDIR)$(DOCDIR)/
	$(INSTALL) -m 0644 $(LICENSE_FILES) $(DESTDIR)$(DOCDIR)/LICENSES/
	$(INSTALL) -m 0644 tools/completion/ipcmbox.bash \
		$(DESTDIR)$(BASHCOMPDIR)/ipcmbox
	ln -sf ipcmbox $(DESTDIR)$(BASHCOMPDIR)/ipcmbox-bench
ifeq ($(MAN),1)
	@set -e; for p in $(MAN_NAMES); do \
		$(INSTALL) -d $(DESTDIR)$(MANDIR)/$${p%/*}; \
		$(INSTALL) -m 0644 $(MAN_OUT)/$$p $(DESTDIR)$(MANDIR)/$$p; \
	done
endif

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ipcmbox $(DESTDIR)$(BINDIR)/ipcmbox-bench \
	      $(DESTDIR)$(LIBDIR)/$(SHLIB) $(DESTDIR)$(LIBDIR)/libipcmbox.so.0 \
	      $(DESTDIR)$(LIBDIR)/libipcmbox.so $(DESTDIR)$(LIBDIR)/libipcmbox.a \
	      $(DESTDIR)$(INCLUDEDIR)/ipcmbox.h \
	      $(DESTDIR)$(INCLUDEDIR)/ipcmbox_uring.h \
	      $(DESTDIR)$(UAPIDIR)/linux/ipcmbox.h \
	      $(DESTDIR)$(PKGCONFIGDIR)/libipcmbox.pc \
	      $(addprefix $(DESTDIR)$(DOCDIR)/,$(DOC_FILES)) \
	      $(addprefix $(DESTDIR)$(DOCDIR)/LICENSES/,$(notdir $(LICENSE_FILES))) \
	      $(DESTDIR)$(BASHCOMPDIR)/ipcmbox $(DESTDIR)$(BASHCOMPDIR)/ipcmbox-bench \
	      $(addprefix $(DESTDIR)$(MANDIR)/,$(MAN_NAMES))
	-rmdir $(DESTDIR)$(UAPIDIR)/linux $(DESTDIR)$(UAPIDIR) \
	       $(DESTDIR)$(DOCDIR)/LICENSES $(DESTDIR)$(DOCDIR) 2>/dev/null

# kbuild's own: the module in /lib/modules/KVER/extra (INSTALL_MOD_PATH
# for a staged tree), compressed as the kernel configures, then depmod.
# It is signed only when the kernel tree has the signing key (a kernel
# built here); a distribution kernel's key is not on the machine.
modules_install: module
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_DIR=extra \
		$(if $(wildcard $(KDIR)/certs/signing_key.pem),,CONFIG_MODULE_SIG_ALL=) \
		modules_install

.PHONY: install uninstall modules_install

# DKMS: the module's sources and a dkms.conf in $(DKMS_SRC), then dkms
# builds and installs it for the running kernel and rebuilds it for every
# kernel installed later (AUTOINSTALL).  dkms-source only copies, for
# packagers (DESTDIR) and for tools/dkms-test.sh.
DKMS_SRC	?= /usr/src/ipcmbox-$(VERSION)
DKMS_FILES	:= Kbuild VERSION COPYING kmod/Kbuild $(wildcard kmod/*.c kmod/*.h) \
		   include/uapi/linux/ipcmbox.h

dkms-source:
	rm -rf $(DESTDIR)$(DKMS_SRC)
	$(INSTALL) -d $(DESTDIR)$(DKMS_SRC)/kmod $(DESTDIR)$(DKMS_SRC)/include/uapi/linux
	for f in $(DKMS_FILES); do \
		$(INSTALL) -m 0644 $$f $(DESTDIR)$(DKMS_SRC)/$$f || exit 1; \
	done
	sed 's/@VERSION@/$(VERSION)/' tools/dkms/dkms.conf.in > $(DESTDIR)$(DKMS_SRC)/dkms.conf

dkms-install: dkms-source
	dkms add -m ipcmbox -v $(VERSION)
	dkms install -m ipcmbox -v $(VERSION)

dkms-uninstall:
	-dkms remove -m ipcmbox -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

.PHONY: dkms-source dkms-install dkms-uninstall
