/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ipcmbox internal interfaces shared between the files of the module.
 */
#ifndef _IPCMBOX_INTERNAL_H
#define _IPCMBOX_INTERNAL_H

#include <linux/device.h>
#include <linux/fs.h>

#include "compat.h"

/*
 * One character-device region serves every node: minor 0 is the control
 * node, the others are handed to mailboxes.  A misc device would cap us at
 * the misc minor space; a private region does not.
 */
#define IPCMBOX_MINORS		65536U
#define IPCMBOX_CONTROL_MINOR	0

/* main.c: module parameters */
extern unsigned int ipcmbox_max_mailboxes;
extern unsigned int ipcmbox_max_msg_limit;

/* param.c: mailboxes created at load time */
int ipcmbox_param_create_mailboxes(void);

/* chrdev.c: device region, class and node creation */
int ipcmbox_chrdev_init(void);
void ipcmbox_chrdev_exit(void);
int ipcmbox_node_add(struct device *dev, unsigned int minor,
		     const struct device_type *type, const char *name);
char *ipcmbox_node_path(IPCMBOX_DEVNODE_CONST struct device *dev);

/* control.c: /dev/ipcmbox/control */
extern const struct file_operations ipcmbox_control_fops;
int ipcmbox_control_init(void);
void ipcmbox_control_exit(void);

#endif /* _IPCMBOX_INTERNAL_H */
