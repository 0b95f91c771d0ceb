# SPDX-License-Identifier: GPL-2.0-only
# Settings shared by the userspace Makefiles; every one can be overridden on
# the make command line.
TOP		:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
VERSION		:= $(shell cat $(TOP)/VERSION)
CC		?= cc
AR		?= ar
CFLAGS		?= -O2 -g
WERROR		?= 0
# -D_GNU_SOURCE for pipe2/ppoll-style calls the tools and tests use.  Every
# compile line has IPCMBOX_CFLAGS, so CPPFLAGS (after the tree's own -I) and
# CFLAGS reach every object; every link line has CFLAGS and LDFLAGS.
IPCMBOX_CFLAGS	:= -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow \
		   -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers \
		   -I$(TOP)/include -I$(TOP)/include/uapi $(CPPFLAGS)
ifeq ($(WERROR),1)
IPCMBOX_CFLAGS	+= -Werror
endif
ifneq ($(V),1)
Q		:= @
endif
