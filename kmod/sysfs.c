// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/class/ipcmbox/NAME/: a named mailbox's attributes and counters,
 * read-only, one value per file.  They are read without the mailbox lock,
 * so two files read one after the other may disagree by a message.
 */
#include <linux/device.h>
#include <linux/sysfs.h>

#include "mbox.h"

#define to_mbox(d) container_of(d, struct ipcmbox_mbox, dev)

#define IPCMBOX_ATTR(field, fmt)					\
static ssize_t field##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, fmt "\n", READ_ONCE(to_mbox(dev)->field)); \
}									\
static DEVICE_ATTR_RO(field)

IPCMBOX_ATTR(capacity, "%u");
IPCMBOX_ATTR(max_msg, "%u");
IPCMBOX_ATTR(max_bytes, "%llu");
IPCMBOX_ATTR(depth, "%u");
IPCMBOX_ATTR(depth_high, "%u");
IPCMBOX_ATTR(bytes, "%llu");
IPCMBOX_ATTR(bytes_high, "%llu");
IPCMBOX_ATTR(sent, "%llu");
IPCMBOX_ATTR(received, "%llu");

static ssize_t recv_waiting_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct ipcmbox_mbox *mb = to_mbox(dev);

	return sysfs_emit(buf, "%u\n", READ_ONCE(mb->nr_receivers) +
			  READ_ONCE(mb->nr_peekers));
}
static DEVICE_ATTR_RO(recv_waiting);

static ssize_t send_waiting_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_mbox(dev)->nr_senders));
}
static DEVICE_ATTR_RO(send_waiting);

static ssize_t send_failed_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  atomic64_read(&to_mbox(dev)->send_failed));
}
static DEVICE_ATTR_RO(send_failed);

static ssize_t recv_failed_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  atomic64_read(&to_mbox(dev)->recv_failed));
}
static DEVICE_ATTR_RO(recv_failed);

static struct attribute *ipcmbox_mbox_attrs[] = {
	&dev_attr_capacity.attr,
	&dev_attr_max_msg.attr,
	&dev_attr_max_bytes.attr,
	&dev_attr_depth.attr,
	&dev_attr_depth_high.attr,
	&dev_attr_bytes.attr,
	&dev_attr_bytes_high.attr,
	&dev_attr_recv_waiting.attr,
	&dev_attr_send_waiting.attr,
	&dev_attr_sent.attr,
	&dev_attr_received.attr,
	&dev_attr_send_failed.attr,
	&dev_attr_recv_failed.attr,
	NULL
};

static const struct attribute_group ipcmbox_mbox_group = {
	.attrs = ipcmbox_mbox_attrs,
};

const struct attribute_group *ipcmbox_mbox_groups[] = {
	&ipcmbox_mbox_group,
	NULL
};
