//! Exercise 2: a waker fired from another thread. Write [`on_thread`]: a
//! future that runs `work` on a new `std::thread` and finishes with its
//! result, woken by that thread. The book's chapter 1 page
//! (`book/ch01-coroutines.md`, "Exercises") says more; grade it with
//! `cargo test -p ch01-coroutines --test exercises on_thread`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The work to run, boxed so that [`OnThread`] names no closure type.
type Work<T> = Box<dyn FnOnce() -> T + Send>;

/// A future that runs its work on another thread: see [`on_thread`].
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct OnThread<T> {
    /// The work, until the first poll hands it to a thread.
    work: Option<Work<T>>,
    // Your fields here: somewhere the thread and the future share, for the
    // result and for the waker of the task that waits.
}

/// A future that, when first polled, runs `work` on a new thread, and
/// finishes with what `work` returns. It never blocks the loop's thread:
/// until the result is there, a poll returns `Pending`, and the thread
/// wakes the task once it has stored the result.
pub fn on_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> OnThread<T> {
    OnThread { work: Some(Box::new(work)) }
}

impl<T: Send + 'static> Future for OnThread<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // Your code here: start the thread on the first poll; on every poll,
        // return the result if it is there, or keep `cx.waker()` where the
        // thread will find it and return `Pending`.
        Poll::Pending
    }
}
