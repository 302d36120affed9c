//! Exercise 1: a future that waits once. Write [`PendingOnce`]'s `poll` so
//! that the first poll wakes its own task and returns `Pending`, and the
//! second returns `Ready(())`. The book's chapter 1 page
//! (`book/ch01-coroutines.md`, "Exercises") says more; grade it with
//! `cargo test -p ch01-coroutines --test exercises pending_once`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A future that returns `Pending` on its first poll, after waking the task
/// that polled it, and `Ready(())` on the next.
#[derive(Debug, Default)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct PendingOnce {
    /// Whether the first poll has happened.
    polled: bool,
}

/// A [`PendingOnce`] that has not been polled yet.
pub fn pending_once() -> PendingOnce {
    PendingOnce::default()
}

impl Future for PendingOnce {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Your code here: on the first poll, remember it (`self` needs
        // `mut` for that), wake the task (`cx.waker()`), and return
        // `Poll::Pending`.
        Poll::Ready(())
    }
}
