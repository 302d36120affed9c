//! Chapter 5 (control structures): `wait`, for a split into done and pending.
//!
//! `asyncio.wait(aws, timeout=None, return_when=ALL_COMPLETED)` returns two
//! sets once a condition holds or the timeout passes. It never cancels
//! anything: on a timeout, the pending ones keep running. aio's [`wait`] does
//! the same, and returns two `Vec`s in the order the awaitables were given, so
//! the output is stable.

use crate::ch01_coroutines::error::Error;
use crate::ch01_coroutines::event_loop;
use crate::ch02_scheduling::sleep::{Sleep, sleep_until};
use crate::ch05_control::waitable::Waitable;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// When [`wait`] returns (asyncio's `return_when`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnWhen {
    /// When every awaitable is done (`ALL_COMPLETED`).
    AllCompleted,
    /// When any awaitable is done (`FIRST_COMPLETED`).
    FirstCompleted,
    /// When any awaitable fails (panics, or holds an exception), or all are
    /// done (`FIRST_EXCEPTION`). Cancellation does not count as failing.
    FirstException,
}

/// The awaitables that finished, and those still pending, each in the order
/// given.
pub type DoneAndPending<W> = (Vec<W>, Vec<W>);

// ANCHOR: wait
/// Waits until `return_when` holds or `timeout` passes, then splits
/// `awaitables` into `(done, pending)`. Nothing is cancelled. An empty input is
/// an error, as in asyncio.
pub fn wait<W: Waitable>(
    awaitables: Vec<W>,
    timeout: Option<Duration>,
    return_when: ReturnWhen,
) -> Wait<W> {
    Wait { awaitables: Some(awaitables), timeout, timer: None, return_when }
}

/// The future returned by [`wait`].
pub struct Wait<W> {
    awaitables: Option<Vec<W>>,
    timeout: Option<Duration>,
    timer: Option<Sleep>,
    return_when: ReturnWhen,
}

// `wait` never pins the awaitables it holds: it only asks them whether they are
// done.
impl<W> Unpin for Wait<W> {}

impl<W: Waitable> Future for Wait<W> {
    type Output = Result<DoneAndPending<W>, Error>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        let this = &mut *self;
        let Some(awaitables) = this.awaitables.as_ref() else {
            return Poll::Ready(Err(Error::NothingToWaitFor));
        };
        if awaitables.is_empty() {
            return Poll::Ready(Err(Error::NothingToWaitFor));
        }
        // Register with every awaitable on every poll: each wakes us when it is
        // done.
        let done: Vec<bool> = awaitables
            .iter()
            .map(|waitable| waitable.poll_done(cx).is_ready())
            .collect();
        let condition_holds = match this.return_when {
            ReturnWhen::AllCompleted => done.iter().all(|d| *d),
            ReturnWhen::FirstCompleted => done.iter().any(|d| *d),
            ReturnWhen::FirstException => {
                done.iter().all(|d| *d)
                    || awaitables
                        .iter()
                        .zip(&done)
                        .any(|(w, d)| *d && w.failed())
            }
        };
        if !condition_holds && !this.timed_out(cx) {
            return Poll::Pending;
        }
        let awaitables = this.awaitables.take().unwrap_or_default();
        let (done, pending): (Vec<_>, Vec<_>) =
            awaitables.into_iter().zip(done).partition(|(_, is_done)| *is_done);
        Poll::Ready(Ok((
            done.into_iter().map(|(w, _)| w).collect(),
            pending.into_iter().map(|(w, _)| w).collect(),
        )))
    }
}

impl<W> Wait<W> {
    /// Whether the timeout has passed. The timer starts at the first poll.
    fn timed_out(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(timeout) = self.timeout else { return false };
        let timer = self.timer.get_or_insert_with(|| {
            let now = event_loop::with_running(|event_loop| event_loop.time())
                .unwrap_or_default();
            sleep_until(now.saturating_add(timeout))
        });
        Pin::new(timer).poll(cx).is_ready()
    }
}
// ANCHOR_END: wait
