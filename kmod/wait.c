// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sleeping on a mailbox: deadlines and the one sleep primitive.
 *
 * Blocked senders and receivers sit on the mailbox's own FIFO lists and
 * are woken one at a time, under mb->lock, by whoever hands them a message
 * or space, or an error.  A blocked sender sleeps on a wait queue of its
 * own, woken with the sync hint of wake_up_interruptible_sync() (the waker
 * is about to sleep or return, so the scheduler does not move the wakee
 * away, as for a pipe's writer).  A blocked receiver sleeps without one
 * (wake_up_process()): a sender that hands it a message completes the
 * receive and stores the message last, so the receiver returns without
 * taking mb->lock again, as POSIX mq's pipelined receive does
 * (ipcmbox_sleep_handoff()).  Peeking receivers sleep on the readability
 * wait queue.  Any other wake-up makes the sleeper re-check its condition
 * under mb->lock, so a hand-off that races with a signal or a timeout is
 * never lost: the caller looks at what it was given before it looks at why
 * it woke.
 *
 * A timeout is an absolute expiry on the caller's clock.  A relative one
 * is converted once, on entry, to an expiry on MONOTONIC (BOOTTIME for
 * BOOTTIME), so setting the wall clock does not stretch or cut it; such a
 * call is not restarted after a signal handler (EINTR), since restarting
 * would start the full timeout again.
 * Calls without a timeout, or with an absolute one, restart under
 * SA_RESTART.
 */
#include <linux/hrtimer.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>

#include "mbox.h"

/**
 * ipcmbox_xfer_deadline() - decode a timeout into @x
 * @x: the transfer; @x->flags holds IPCMBOX_IO_TIMEOUT and _ABSTIME
 * @clock: IPCMBOX_CLOCK_*
 * @timeout: nanoseconds, relative or absolute
 *
 * Return: 0, or -EINVAL for an unknown clock, a negative timeout, or
 * timeout fields set without IPCMBOX_IO_TIMEOUT.
 */
int ipcmbox_xfer_deadline(struct ipcmbox_xfer *x, u32 clock, s64 timeout)
{
	static const clockid_t clocks[] = {
		[IPCMBOX_CLOCK_MONOTONIC]	= CLOCK_MONOTONIC,
		[IPCMBOX_CLOCK_REALTIME]	= CLOCK_REALTIME,
		[IPCMBOX_CLOCK_BOOTTIME]	= CLOCK_BOOTTIME,
	};
	ktime_t now;

	x->restart = true;
	if (!(x->flags & IPCMBOX_IO_TIMEOUT)) {
		if (clock || timeout || (x->flags & IPCMBOX_IO_ABSTIME))
			return -EINVAL;
		return 0;
	}
	if (clock >= ARRAY_SIZE(clocks) || timeout < 0)
		return -EINVAL;
	x->clock = clocks[clock];
	x->deadline_set = true;
	if (x->flags & IPCMBOX_IO_ABSTIME) {
		x->deadline = ns_to_ktime(timeout);
		return 0;
	}
	/*
	 * An interval does not move with the wall clock: a relative
	 * REALTIME timeout runs on MONOTONIC, as clock_nanosleep() does.
	 */
	if (clock == IPCMBOX_CLOCK_BOOTTIME) {
		now = ktime_get_boottime();
	} else {
		x->clock = CLOCK_MONOTONIC;
		now = ktime_get();
	}
	x->deadline = ktime_add_safe(now, ns_to_ktime(timeout));
	x->restart = false;
	return 0;
}

/* The error of a wait that ended by a signal or by its deadline. */
static int ipcmbox_wait_error(const struct ipcmbox_xfer *x, bool expired)
{
	if (signal_pending(current))
		return x->restart ? -ERESTARTSYS : -EINTR;
	return expired ? -ETIMEDOUT : 0;
}

/*
 * Sleeps until woken, a signal or the deadline, with the caller's lock
 * dropped and its task state set.  Every function a mailbox sleeps in is
 * named ipcmbox_sleep*: it is what /proc/PID/wchan shows, and what the
 * selftests look for to know that a child has blocked.
 */
static void ipcmbox_sleep_schedule(struct ipcmbox_xfer *x, bool *expired)
{
	if (!x->deadline_set)
		schedule();
	else if (!schedule_hrtimeout_range_clock(&x->deadline, 0,
						 HRTIMER_MODE_ABS, x->clock))
		*expired = true;
}

/**
 * ipcmbox_sleep_on() - sleep once, with @lock dropped
 * @lock: the mutex that protects the caller's condition, held
 * @x: the transfer, for its deadline
 * @wq: wait queue to sleep on, or NULL when the caller is woken only with
 *	wake_up_process() under @lock
 * @expired: set when the deadline has passed
 *
 * Returns at once with the error to fail with when a signal is pending or
 * the deadline has passed; else sleeps until woken, a signal or the
 * deadline, and returns 0 with @lock held again, for the caller to
 * re-check its condition.  Wakers change the condition under @lock, so
 * no wake-up is lost between the caller's check and the sleep.
 *
 * Return: 0, -ERESTARTSYS, -EINTR or -ETIMEDOUT.
 */
int ipcmbox_sleep_on(struct mutex *lock, struct ipcmbox_xfer *x,
		     wait_queue_head_t *wq, bool *expired)
{
	DEFINE_WAIT(wait);
	int ret;

	lockdep_assert_held(lock);
	ret = ipcmbox_wait_error(x, *expired);
	if (ret)
		return ret;
	if (wq)
		prepare_to_wait(wq, &wait, TASK_INTERRUPTIBLE);
	else
		set_current_state(TASK_INTERRUPTIBLE);
	mutex_unlock(lock);
	ipcmbox_sleep_schedule(x, expired);
	if (wq)
		finish_wait(wq, &wait);
	else
		__set_current_state(TASK_RUNNING);
	mutex_lock(lock);
	return 0;
}

/**
 * ipcmbox_sleep_handoff() - sleep once, for a hand-off into @slot
 * @lock: the mutex that protects the caller's condition, held
 * @x: the transfer, for its deadline
 * @slot: where a waker, holding @lock, stores with release semantics
 *	what it hands over, after everything else it does for the caller,
 *	then wakes the caller with wake_up_process()
 * @expired: set when the deadline has passed
 *
 * As ipcmbox_sleep_on() with no wait queue, except that a caller that
 * finds @slot filled on waking returns 1 without taking @lock again.
 *
 * Return: 1 (@slot filled, @lock not held), 0 (@lock held, look again),
 * -ERESTARTSYS, -EINTR or -ETIMEDOUT (@lock held).
 */
int ipcmbox_sleep_handoff(struct mutex *lock, struct ipcmbox_xfer *x,
			  struct ipcmbox_msg **slot, bool *expired)
{
	int ret;

	lockdep_assert_held(lock);
	ret = ipcmbox_wait_error(x, *expired);
	if (ret)
		return ret;
	set_current_state(TASK_INTERRUPTIBLE);
	mutex_unlock(lock);
	ipcmbox_sleep_schedule(x, expired);
	__set_current_state(TASK_RUNNING);
	/* Pairs with the waker's smp_store_release() (ipcmbox_handoff()). */
	if (smp_load_acquire(slot))
		return 1;
	mutex_lock(lock);
	return 0;
}

/* ipcmbox_sleep_on() with the mailbox's lock. */
int ipcmbox_sleep(struct ipcmbox_mbox *mb, struct ipcmbox_xfer *x,
		  wait_queue_head_t *wq, bool *expired)
{
	return ipcmbox_sleep_on(&mb->lock, x, wq, expired);
}
