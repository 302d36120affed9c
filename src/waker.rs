//! Chapter 1 (coroutines): waking a task, from its own thread or any other.
//!
//! A [`Waker`](std::task::Waker) must be `Send + Sync`, because a future may hand it to
//! another thread (a thread pool, an I/O thread). Waking puts the task back in its loop's
//! ready queue. On the loop's own thread, while the loop runs, that is a plain push with
//! no lock. From anywhere else it goes through the loop's remote queue and wakes the
//! poller. The `scheduled` flag makes a burst of wakes queue the task once.

use crate::remote::RemoteItem;
use crate::running;
use crate::sync::{Arc, Ordering};
use crate::task::{Runnable, TaskCell};
use std::future::Future;
use std::task::Wake;

// ANCHOR: schedule
/// Puts `task` in its loop's ready queue, unless it is already there.
pub(crate) fn schedule<R: Runnable + 'static>(task: &Arc<R>) {
    let header = task.header();
    if header.scheduled.swap(true, Ordering::AcqRel) {
        return; // already queued: many wakes, one poll
    }
    let runnable: Arc<dyn Runnable> = task.clone();
    // Fast path: we are on the loop's thread and the loop is running.
    let Err(runnable) = running::push_ready_if_running(header.loop_shared.loop_id, runnable) else {
        return;
    };
    // Slow path: another thread, or the loop is not running right now. If the loop is
    // closed, the push fails and drops the task: it can never run again.
    let _ = header.loop_shared.push(RemoteItem::Task(runnable));
}
// ANCHOR_END: schedule

impl<F: Future + 'static> Wake for TaskCell<F> {
    fn wake(self: Arc<Self>) {
        schedule(&self);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        schedule(self);
    }
}
