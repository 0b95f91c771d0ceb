// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/class/ipcmbox/NAME/: a named mailbox's attributes and counters,
 * read-only, one value per file.  They are read without the mailbox lock,
 * so two files read one after the other may disagree by a message.
 */
#include <linux/device.h>
#include <linux/stddef.h>
#include <linux/sysfs.h>

#include "mbox.h"
#include "region.h"

static struct ipcmbox_mbox *to_mbox(struct device *dev)
{
	return container_of(dev, struct ipcmbox_mbox, dev);
}

/* A counter or limit: which field, and its width. */
struct ipcmbox_dev_attr {
	struct device_attribute attr;
	size_t offset;
	bool wide;
};

static ssize_t ipcmbox_field_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	const struct ipcmbox_dev_attr *a =
		container_of(attr, struct ipcmbox_dev_attr, attr);
	const void *field = (const void *)to_mbox(dev) + a->offset;

	if (a->wide)
		return sysfs_emit(buf, "%llu\n", READ_ONCE(*(const u64 *)field));
	return sysfs_emit(buf, "%u\n", READ_ONCE(*(const u32 *)field));
}

#define IPCMBOX_FIELD_ATTR(_name, _field, _wide) {			\
	.attr	= __ATTR(_name, 0444, ipcmbox_field_show, NULL),	\
	.offset	= offsetof(struct ipcmbox_mbox, _field),		\
	.wide	= _wide,						\
}

static struct ipcmbox_dev_attr ipcmbox_field_attrs[] = {
	IPCMBOX_FIELD_ATTR(capacity, capacity, false),
	IPCMBOX_FIELD_ATTR(max_msg, max_msg, false),
	IPCMBOX_FIELD_ATTR(max_bytes, max_bytes, true),
	IPCMBOX_FIELD_ATTR(depth, depth, false),
	IPCMBOX_FIELD_ATTR(depth_high, depth_high, false),
	IPCMBOX_FIELD_ATTR(bytes, bytes, true),
	IPCMBOX_FIELD_ATTR(bytes_high, bytes_high, true),
	IPCMBOX_FIELD_ATTR(sent, sent, true),
	IPCMBOX_FIELD_ATTR(received, received, true),
};

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
	struct ipcmbox_mbox *mb = to_mbox(dev);

	return sysfs_emit(buf, "%u\n", READ_ONCE(mb->nr_senders) +
			  READ_ONCE(mb->nr_batchers));
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

static ssize_t region_size_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  ipcmbox_region_size(to_mbox(dev)->region));
}
static DEVICE_ATTR_RO(region_size);

static ssize_t region_used_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  ipcmbox_chunk_used(to_mbox(dev)->region));
}
static DEVICE_ATTR_RO(region_used);

static struct attribute *ipcmbox_mbox_attrs[] = {
	&ipcmbox_field_attrs[0].attr.attr,
	&ipcmbox_field_attrs[1].attr.attr,
	&ipcmbox_field_attrs[2].attr.attr,
	&ipcmbox_field_attrs[3].attr.attr,
	&ipcmbox_field_attrs[4].attr.attr,
	&ipcmbox_field_attrs[5].attr.attr,
	&ipcmbox_field_attrs[6].attr.attr,
	&ipcmbox_field_attrs[7].attr.attr,
	&ipcmbox_field_attrs[8].attr.attr,
	&dev_attr_recv_waiting.attr,
	&dev_attr_send_waiting.attr,
	&dev_attr_send_failed.attr,
	&dev_attr_recv_failed.attr,
	&dev_attr_region_size.attr,
	&dev_attr_region_used.attr,
	NULL
};

static const struct attribute_group ipcmbox_mbox_group = {
	.attrs = ipcmbox_mbox_attrs,
};

const struct attribute_group *ipcmbox_mbox_groups[] = {
	&ipcmbox_mbox_group,
	NULL
};
