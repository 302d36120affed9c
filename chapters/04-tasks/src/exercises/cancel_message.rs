//! Exercise 2: cancel with a message (medium).
//!
//! asyncio's `task.cancel(msg)` puts `msg` into the `CancelledError` that the
//! awaiter catches. Finish [`MessageTask`], a wrapper around an [`aio::Task`]
//! whose [`cancel_with`](MessageTask::cancel_with) keeps a message and whose
//! output hands it to the awaiter. The book's chapter 4 page
//! (`book/ch04-tasks.md`, "Exercises") says what the grader checks:
//! `cargo test -p ch04-tasks --test exercises cancel_message`.

use aio::{Task, TaskError};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Why a [`MessageTask`] gave no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    /// The task was cancelled; `message` is the one given to the first
    /// [`cancel_with`](MessageTask::cancel_with) it accepted, if any.
    Cancelled {
        /// The cancel message (asyncio's `CancelledError.args[0]`).
        message: Option<String>,
    },
    /// Any other way a task ends without a value (a panic, say).
    Failed(TaskError),
}

/// A task handle whose cancellation can carry a message.
#[derive(Debug)]
pub struct MessageTask<T> {
    task: Task<T>,
    message: RefCell<Option<String>>,
}

/// Spawns `future` on the running loop, like [`aio::spawn`].
pub fn spawn_with_message<F>(
    future: F,
) -> Result<MessageTask<F::Output>, aio::Error>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let task = aio::spawn(future)?;
    Ok(MessageTask { task, message: RefCell::new(None) })
}

impl<T> MessageTask<T> {
    /// Requests cancellation, as [`Task::cancel`] does, and returns what it
    /// returns. Keeps `message` if the request was accepted and no earlier
    /// accepted request left one (asyncio keeps the first).
    pub fn cancel_with(&self, message: impl Into<String>) -> bool {
        // Your code here: cancel the task, and keep the message if that worked.
        false
    }
}

impl<T> Future for MessageTask<T> {
    /// The task's value, or why there is none: `Stopped::Cancelled` with the
    /// kept message, or `Stopped::Failed` with any other `TaskError`.
    type Output = Result<T, Stopped>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Your code here: poll the inner task (with `mut self`, it is
        // `Pin::new(&mut self.task)`), and turn its error into a `Stopped`.
        Poll::Ready(Err(Stopped::Cancelled { message: None }))
    }
}
