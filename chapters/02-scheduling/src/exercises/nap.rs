//! Exercise 3 (medium): sleep, built from `call_later` and a waker.
//!
//! Write [`Nap`], a future that does what `aio::sleep` does, the way asyncio
//! builds `asyncio.sleep`: on its first poll it schedules a timer with the
//! running loop's `call_later`, and the timer's callback wakes the task. The
//! grader checks it against `aio::sleep` itself. See the book's chapter 2
//! page (`book/ch02-scheduling.md`, "Exercises").

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// A future that completes `delay` of loop time after its first poll.
///
/// - The delay counts from the first poll, not from the call to [`nap`].
/// - Each poll keeps the newest waker: the timer wakes whoever polled last.
/// - Dropping a pending `Nap` cancels its timer, and with it the stored
///   waker, at once.
/// - A zero delay sets no timer: the first poll wakes its own waker and
///   returns `Pending`, so the task yields for exactly one tick.
/// - Polled where no aio loop runs, it panics, as `aio::sleep` does.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` them"]
pub struct Nap {
    delay: Duration,
    // Your code here: the timer, and what its callback shares with the future.
}

/// A [`Nap`] of `delay`.
pub fn nap(delay: Duration) -> Nap {
    Nap { delay }
}

impl Future for Nap {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Your code here: set the timer on the first poll, store the newest
        // waker, and be ready once the timer has run.
        Poll::Ready(())
    }
}
