//! Chapter 1 (coroutines): waking a task, from its own thread or any other.
//!
//! A [`Waker`](std::task::Waker) must be `Send + Sync`, because a future may
//! hand it to another thread (a thread pool, an I/O thread). Waking puts the
//! task back in its loop's ready queue, through the task's
//! [`Schedule`](crate::ch01_coroutines::seam::Schedule): on
//! the loop's own thread that is a plain push with no lock; from anywhere else
//! it goes through the loop's remote queue and wakes the poller. The
//! `scheduled` flag makes a burst of wakes queue the task once.

use crate::ch01_coroutines::loom::{Ordering, TaskArc};
use crate::ch01_coroutines::seam::Runnable;

// ANCHOR: schedule
/// Puts `task` in its loop's ready queue, unless it is already there.
pub(crate) fn schedule<R: Runnable + 'static>(task: &TaskArc<R>) {
    let header = task.header();
    if header.scheduled.swap(true, Ordering::AcqRel) {
        return; // already queued: many wakes, one poll
    }
    let runnable: TaskArc<dyn Runnable> = task.clone();
    // Fast path: we are on the loop's thread.
    let Err(runnable) = header.scheduler.schedule_local(runnable) else {
        return;
    };
    // Slow path: another thread, or a closed loop (which drops the task).
    header.scheduler.schedule_remote(runnable);
}
// ANCHOR_END: schedule
