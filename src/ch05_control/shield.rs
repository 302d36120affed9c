//! Chapter 5 (control structures): `shield`, protection from cancellation.
//!
//! `asyncio.shield(aw)` runs `aw` in its own task, so cancelling the coroutine
//! that awaits the shield does not cancel `aw`. In aio, cancelling means
//! dropping, and dropping a task handle detaches the task, so [`shield`] is
//! simply: spawn, then await the handle.

use crate::ch01_coroutines::error::{Error, TaskError};
use crate::ch01_coroutines::spawn::spawn;
use crate::ch01_coroutines::task::Task;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: shield
/// Runs `future` in a task of its own and awaits it. Dropping the returned
/// future (for instance because the task awaiting it was cancelled) leaves that
/// task running.
#[track_caller]
pub fn shield<F>(future: F) -> Shield<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    Shield { inner: spawn(future).map_err(Some) }
}

/// The future returned by [`shield`].
#[derive(Debug)]
#[must_use = "dropping a Shield detaches its task; `.await` it for the result"]
pub struct Shield<T> {
    inner: Result<Task<T>, Option<Error>>,
}

impl<T: 'static> Future for Shield<T> {
    type Output = Result<T, Error>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        match &mut self.inner {
            Ok(task) => Pin::new(task).poll(cx).map_err(Error::Task),
            // The spawn error is handed out once; polling again after that is
            // misuse.
            Err(error) => {
                let error = error.take();
                Poll::Ready(Err(
                    error.unwrap_or(Error::Task(TaskError::ResultTaken))
                ))
            }
        }
    }
}
// ANCHOR_END: shield
