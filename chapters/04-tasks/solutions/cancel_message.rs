//! Exercise 2: cancel with a message (medium).
//!
//! asyncio's `task.cancel(msg)` puts `msg` into the `CancelledError` that the
//! awaiter catches. [`MessageTask`] wraps an [`aio::Task`] to do the same: it
//! remembers the message of the first cancel request the task accepted, and
//! awaiting it gives [`Stopped::Cancelled`] with that message.

use aio::{Task, TaskError};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: types
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
#[must_use = "dropping a MessageTask detaches its task; `.await` it"]
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
// ANCHOR_END: types

// ANCHOR: cancel_with
impl<T> MessageTask<T> {
    /// Requests cancellation, as [`Task::cancel`] does, and returns what it
    /// returns. The message is kept only if the request was accepted, and
    /// only the first accepted one: later requests find the task cancelling
    /// already, and asyncio keeps the first message too.
    pub fn cancel_with(&self, message: impl Into<String>) -> bool {
        let accepted = self.task.cancel();
        let mut kept = self.message.borrow_mut();
        if accepted && kept.is_none() {
            *kept = Some(message.into());
        }
        accepted
    }
}

impl<T> Future for MessageTask<T> {
    type Output = Result<T, Stopped>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        let outcome = std::task::ready!(Pin::new(&mut self.task).poll(cx));
        Poll::Ready(outcome.map_err(|error| match error {
            TaskError::Cancelled => {
                Stopped::Cancelled { message: self.message.take() }
            }
            other => Stopped::Failed(other),
        }))
    }
}
// ANCHOR_END: cancel_with
