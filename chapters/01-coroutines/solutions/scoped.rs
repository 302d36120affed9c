//! Exercise 4: cancel on drop, smol style. [`Scoped`] wraps an `aio::Task`,
//! awaits like it, and cancels it when dropped, unless it was detached.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: scoped
/// A task handle that cancels its task when dropped, as smol's `Task` does
/// (aio's own [`aio::Task`] detaches instead).
#[must_use = "dropping a Scoped cancels its task"]
pub struct Scoped<T> {
    /// The task; `None` only once [`detach`](Scoped::detach) took it.
    task: Option<aio::Task<T>>,
}

impl<T> Drop for Scoped<T> {
    fn drop(&mut self) {
        // Cancelling a finished task does nothing, so no need to ask.
        if let Some(task) = self.task.take() {
            task.cancel();
        }
    }
}
// ANCHOR_END: scoped

// ANCHOR: api
impl<T> Scoped<T> {
    /// Wraps `task`: from now on, dropping the wrapper cancels it.
    pub fn new(task: aio::Task<T>) -> Self {
        Scoped { task: Some(task) }
    }

    /// Gives the task back, uncancelled: dropping what this returns lets the
    /// task run on, as dropping any `aio::Task` does.
    pub fn detach(mut self) -> aio::Task<T> {
        // Taken out first, so that the `Drop` that follows finds nothing.
        self.task.take().expect("a Scoped holds its task")
    }
}

impl<T> Future for Scoped<T> {
    type Output = Result<T, aio::TaskError>;

    /// Awaiting a `Scoped` is awaiting its task.
    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        let task = self.task.as_mut().expect("a Scoped holds its task");
        // `aio::Task` is `Unpin`: it may be pinned where it lies.
        Pin::new(task).poll(cx)
    }
}
// ANCHOR_END: api
