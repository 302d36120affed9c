//! Chapter 1 (coroutines): the handle that awaits a task.
//!
//! A [`Task`] is what spawning returns: await it for the task's output, ask
//! its state, cancel it. Dropping the handle does not cancel the task; it
//! runs on, detached, exactly like an asyncio task nobody awaits.

use crate::ch01_coroutines::error::TaskError;
use crate::ch01_coroutines::loom::TaskArc;
use crate::ch01_coroutines::seam::{Runnable, TaskState};
use crate::ch01_coroutines::task_cell::{JoinTarget, TaskCell};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A handle to a spawned task (asyncio's `Task`). Await it for the task's
/// output.
///
/// Awaiting gives `Ok(value)`, or a [`TaskError`] if the task was cancelled or
/// panicked. Dropping the handle detaches the task: it keeps running. The
/// handle stays on the loop's thread (it is not `Send`).
pub struct Task<T> {
    target: TaskArc<dyn JoinTarget<T>>,
    _loop_thread_only: PhantomData<*const ()>,
}

impl<T> Task<T> {
    /// The handle of a newly spawned task.
    pub(crate) fn new<F>(cell: TaskArc<TaskCell<F>>) -> Task<T>
    where
        F: Future<Output = T> + 'static,
    {
        Task { target: cell, _loop_thread_only: PhantomData }
    }
}

impl<T> Task<T> {
    /// The task's name: `Task-N` unless [`set_name`](Task::set_name) changed
    /// it.
    pub fn name(&self) -> String {
        self.target.name()
    }

    /// Renames the task.
    pub fn set_name(&self, name: impl Into<String>) {
        self.target.set_name(name.into());
    }

    /// Requests cancellation. The task shows as cancelling until the loop drops
    /// its future when it next runs the task: at its place in the ready queue,
    /// later in this tick or in the next. Returns false if the task had already
    /// finished. Either way, a panic the task ended with is no longer reported
    /// as never retrieved: as in asyncio, whoever cancels has taken charge.
    pub fn cancel(&self) -> bool {
        TaskArc::clone(&self.target).request_cancel()
    }

    /// Whether the task has finished, by returning, panicking or being
    /// cancelled.
    pub fn done(&self) -> bool {
        self.target.state().is_final()
    }

    /// Whether the task ended by cancellation.
    pub fn cancelled(&self) -> bool {
        self.target.state() == TaskState::Cancelled
    }

    /// Where the task was spawned.
    pub fn spawned_at(&self) -> &'static Location<'static> {
        self.target.spawned_at()
    }

    pub(crate) fn add_done_callback_internal(
        &self,
        callback: Box<dyn FnOnce()>,
    ) -> Option<u64> {
        self.target.add_done_callback(callback)
    }

    pub(crate) fn remove_done_callback_internal(&self, id: u64) -> bool {
        self.target.remove_done_callback(id)
    }

    pub(crate) fn take_result(&self) -> Option<Result<T, TaskError>> {
        self.target.take_result()
    }

    pub(crate) fn target(&self) -> &dyn JoinTarget<T> {
        &*self.target
    }

    pub(crate) fn runnable(&self) -> TaskArc<dyn Runnable> {
        self.target.clone()
    }
}

impl<T> Future for Task<T> {
    type Output = Result<T, TaskError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.target.poll_join(cx)
    }
}

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        self.target.detach();
    }
}

// ANCHOR: task_debug
impl<T: fmt::Debug> fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Task");
        out.field("name", &self.name())
            .field("state", &format_args!("{}", self.target.state().word()));
        self.target.inspect_result(&mut |result| match result {
            Some(Ok(value)) => {
                out.field("result", value);
            }
            Some(Err(TaskError::Panicked { message })) => {
                out.field("panic", message);
            }
            Some(Err(TaskError::Cancelled | TaskError::ResultTaken)) | None => {
            }
        });
        out.finish()
    }
}
// ANCHOR_END: task_debug
