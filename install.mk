# SPDX-License-Identifier: GPL-2.0-only
# make install / uninstall / modules_install (included by the Makefile).
# GNU directory variables; DESTDIR for staged installs.  The programs are
# linked again at install time, without the tree's RUNPATH, against the
# library just built; they find the installed one as any program does.
PREFIX		?= /usr/local
EXEC_PREFIX	?= $(PREFIX)
BINDIR		?= $(EXEC_PREFIX)/bin
LIBDIR		?= $(EXEC_PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
PKGCONFIGDIR	?= $(LIBDIR)/pkgconfig
DOCDIR		?= $(PREFIX)/share/doc/ipcmbox
INSTALL		?= install
# The UAPI header goes in a directory of the project's own, as liburing
# installs its io_uring.h: <linux/ipcmbox.h> is found through the
# -I$(INCLUDEDIR)/ipcmbox that libipcmbox.pc gives.
UAPIDIR		:= $(INCLUDEDIR)/ipcmbox

SHLIB		:= libipcmbox.so.$(VERSION)

install: lib tools
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(UAPIDIR)/linux \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(DOCDIR)
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
	$(INSTALL) -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ipcmbox $(DESTDIR)$(BINDIR)/ipcmbox-bench \
	      $(DESTDIR)$(LIBDIR)/$(SHLIB) $(DESTDIR)$(LIBDIR)/libipcmbox.so.0 \
	      $(DESTDIR)$(LIBDIR)/libipcmbox.so $(DESTDIR)$(LIBDIR)/libipcmbox.a \
	      $(DESTDIR)$(INCLUDEDIR)/ipcmbox.h \
	      $(DESTDIR)$(INCLUDEDIR)/ipcmbox_uring.h \
	      $(DESTDIR)$(UAPIDIR)/linux/ipcmbox.h \
	      $(DESTDIR)$(PKGCONFIGDIR)/libipcmbox.pc \
	      $(DESTDIR)$(DOCDIR)/README.md
	-rmdir $(DESTDIR)$(UAPIDIR)/linux $(DESTDIR)$(UAPIDIR) $(DESTDIR)$(DOCDIR) 2>/dev/null

# kbuild's own: the module in /lib/modules/KVER/extra (INSTALL_MOD_PATH
# for a staged tree), compressed as the kernel configures, then depmod.
# It is signed only when the kernel tree has the signing key (a kernel
# built here); a distribution kernel's key is not on the machine.
modules_install: module
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_DIR=extra \
		$(if $(wildcard $(KDIR)/certs/signing_key.pem),,CONFIG_MODULE_SIG_ALL=) \
		modules_install

.PHONY: install uninstall modules_install
