//! Exercise 1: a future that waits once. The first poll wakes its own task
//! and returns `Pending`; the second returns `Ready(())`. This is the first
//! cut's `yield_now`, written as a type: the field is the state that an
//! `async fn` would keep for us.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: pending_once
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

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.polled {
            return Poll::Ready(());
        }
        self.polled = true;
        // Nobody else will wake us: without this, the task is never polled
        // again, and the loop sleeps with nothing to wait for.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: pending_once
