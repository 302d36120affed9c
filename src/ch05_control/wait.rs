//! Chapter 5 (control structures): `wait`, for a split into done and pending.
//!
//! `asyncio.wait(aws, timeout=None, return_when=ALL_COMPLETED)` returns two
//! sets once a condition holds or the timeout passes. It never cancels
//! anything: on a timeout, the pending ones keep running. aio's [`wait`] does
//! the same, and returns two `Vec`s in the order the awaitables were given, so
//! the output is stable.
//!
//! `asyncio.wait` accepts tasks and futures alike. In aio, both [`Task`] and
//! [`Promise`] implement [`Waitable`], the input type of `wait`: something
//! whose completion can be watched without taking its result, so that `wait`
//! can hand every one of them back, done or pending.

use crate::ch01_coroutines::awaiting;
use crate::ch01_coroutines::error::{Error, TaskError};
use crate::ch01_coroutines::task::Task;
use crate::ch03_futures::promise::Promise;
use crate::ch05_control::deadline::{Deadline, DeadlineTimer};
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

// ANCHOR: waitable
/// Something `wait` can watch: a [`Task`] or a [`Promise`].
pub trait Waitable {
    /// Ready once the awaitable is done; otherwise arranges for `cx` to be
    /// woken then.
    fn poll_done(&self, cx: &mut Context<'_>) -> Poll<()>;

    /// Whether it is done and ended in an error (a panic, or an exception), not
    /// counting cancellation: what `ReturnWhen::FirstException` looks for.
    fn failed(&self) -> bool;

    /// Forgets `waker`, which an earlier [`poll_done`](Self::poll_done)
    /// registered: a `wait` that returns or is dropped takes its waker back,
    /// as asyncio's `wait` removes its done-callbacks, so that nothing
    /// wakes its caller later.
    fn forget_waker(&self, waker: &Waker);
}

impl<T: 'static> Waitable for Task<T> {
    fn poll_done(&self, cx: &mut Context<'_>) -> Poll<()> {
        self.target().poll_final(cx)
    }

    fn failed(&self) -> bool {
        // Looking does not count as retrieving: a panic nobody reads is still
        // reported.
        let mut panicked = false;
        self.target().inspect_result(&mut |result| {
            panicked = matches!(result, Some(Err(TaskError::Panicked { .. })));
        });
        panicked
    }

    fn forget_waker(&self, waker: &Waker) {
        self.target().forget_waker(waker);
    }
}

impl<T: Clone + 'static> Waitable for Promise<T> {
    fn poll_done(&self, cx: &mut Context<'_>) -> Poll<()> {
        if self.done() {
            return Poll::Ready(());
        }
        self.register_waker(cx.waker());
        Poll::Pending
    }

    fn failed(&self) -> bool {
        self.holds_exception()
    }

    fn forget_waker(&self, waker: &Waker) {
        self.unregister_waker(waker);
    }
}

/// A wait dropped before it returned takes its waker back from everything
/// it was waiting on.
impl<W: Waitable> Drop for Wait<W> {
    fn drop(&mut self) {
        if let (Some(waker), Some(awaitables)) =
            (self.registered.take(), self.awaitables.as_ref())
        {
            awaitables.iter().for_each(|w| w.forget_waker(&waker));
        }
    }
}
// ANCHOR_END: waitable

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
#[track_caller]
pub fn wait<W: Waitable>(
    awaitables: Vec<W>,
    timeout: Option<Duration>,
    return_when: ReturnWhen,
) -> Wait<W> {
    Wait {
        awaitables: Some(awaitables),
        deadline: Deadline::after(timeout),
        timer: DeadlineTimer::default(),
        return_when,
        created_at: Location::caller(),
        registered: None,
    }
}

/// The future returned by [`wait`].
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` them"]
pub struct Wait<W: Waitable> {
    awaitables: Option<Vec<W>>,
    deadline: Deadline,
    timer: DeadlineTimer,
    return_when: ReturnWhen,
    /// Where the wait was made, for chapter 14's task tree.
    created_at: &'static Location<'static>,
    /// The waker the awaitables hold, to take back when the wait ends.
    registered: Option<Waker>,
}

// `wait` never pins the awaitables it holds: it only asks them whether they are
// done.
impl<W: Waitable> Unpin for Wait<W> {}

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
        // done. What they note is the task tree's "wait" branch (chapter 14).
        if !this.registered.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
            this.registered = Some(cx.waker().clone());
        }
        let mut done = Vec::with_capacity(awaitables.len());
        let polled = awaiting::group("wait", this.created_at, || {
            done.extend(awaitables.iter().map(|w| w.poll_done(cx).is_ready()));
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
            // The timeout counts from the first poll.
            this.deadline = this.deadline.start();
            if condition_holds || this.timer.poll(this.deadline, cx).is_ready()
            {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        });
        if polled.is_pending() {
            return Poll::Pending;
        }
        let awaitables = this.awaitables.take().unwrap_or_default();
        let (done, pending): (Vec<_>, Vec<_>) =
            awaitables.into_iter().zip(done).partition(|(_, is_done)| *is_done);
        // The pending ones would wake us when they end, long after we returned.
        for (waitable, _) in &pending {
            waitable.forget_waker(cx.waker());
        }
        this.registered = None;
        Poll::Ready(Ok((
            done.into_iter().map(|(w, _)| w).collect(),
            pending.into_iter().map(|(w, _)| w).collect(),
        )))
    }
}
// ANCHOR_END: wait
