//! Exercise 4: tokio's `Notify`, on a wait queue of your own (project).
//!
//! A bare wake-up, without a flag to wait for: `notify_one` wakes one waiter,
//! or stores one permit for the next wait when nobody waits;
//! `notify_waiters` wakes everyone waiting and stores nothing. A waiter
//! chosen by `notify_one` and then cancelled passes the notification on.
//! Write the queue yourself, with wakers, as `src/ch06_sync/wait_queue.rs`
//! does. The chapter page (`book/ch06-sync.md`, "Exercises") says what the
//! grader checks.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

/// tokio's `Notify`, for one thread. Cloning gives another handle to the same
/// one.
#[derive(Clone, Default)]
pub struct Notify {
    // Your code here: the permit, the waiters, and what else it needs.
    inner: Rc<()>,
}

/// The future of [`Notify::notified`]: completes once this waiter is
/// notified.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Notified {
    notify: Notify,
}

impl Notify {
    /// A `Notify` with no permit and nobody waiting.
    pub fn new() -> Notify {
        Notify::default()
    }

    /// Wakes the first waiter not woken yet, oldest first; with nobody to
    /// wake, stores a permit (at most one) for the next `notified()`.
    pub fn notify_one(&self) {
        // Your code here.
    }

    /// Wakes every waiter, including every `Notified` made before this call
    /// and not yet polled. Stores no permit.
    pub fn notify_waiters(&self) {
        // Your code here.
    }

    /// A future that completes when notified: at once if a permit is
    /// stored (taking it), or if `notify_waiters` is called after this
    /// call, even before the first poll.
    pub fn notified(&self) -> Notified {
        // Your code here: note what the future must remember from now.
        Notified { notify: self.clone() }
    }
}

impl Future for Notified {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Your code here: take a permit, or join the queue, or find out that
        // this waiter was woken.
        Poll::Pending
    }
}

impl fmt::Debug for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notify").finish_non_exhaustive()
    }
}

impl fmt::Debug for Notified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notified").finish_non_exhaustive()
    }
}
