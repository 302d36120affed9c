//! Exercise 4: cancel on drop, smol style. Write [`Scoped`], a wrapper of
//! an `aio::Task` that cancels the task when it is dropped, awaits like the
//! task, and can be detached. The book's chapter 1 page
//! (`book/ch01-coroutines.md`, "Exercises") says more; grade it with
//! `cargo test -p ch01-coroutines --test exercises scoped`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A task handle that cancels its task when dropped, as smol's `Task` does
/// (aio's own [`aio::Task`] detaches instead).
#[must_use = "dropping a Scoped cancels its task"]
pub struct Scoped<T> {
    /// The task; `None` only once [`detach`](Scoped::detach) took it.
    task: Option<aio::Task<T>>,
}

impl<T> Scoped<T> {
    /// Wraps `task`: from now on, dropping the wrapper cancels it.
    pub fn new(task: aio::Task<T>) -> Self {
        Scoped { task: Some(task) }
    }

    /// Gives the task back, uncancelled: dropping what this returns lets the
    /// task run on, as dropping any `aio::Task` does.
    pub fn detach(mut self) -> aio::Task<T> {
        let task = self.task.take().expect("a Scoped holds its task");
        // Your code here: hand the task back without cancelling it.
        task.cancel();
        task
    }
}

impl<T> Future for Scoped<T> {
    type Output = Result<T, aio::TaskError>;

    /// Awaiting a `Scoped` is awaiting its task.
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Your code here: poll the task (`aio::Task` is `Unpin`, so
        // `Pin::new(&mut task)` works).
        Poll::Ready(Err(aio::TaskError::Cancelled))
    }
}

// Your code here: an `impl<T> Drop for Scoped<T>` that cancels the task.
