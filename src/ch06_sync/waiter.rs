//! Chapter 6 (synchronization): the waiter every primitive queues, and its
//! cleanup guard.
//!
//! asyncio's primitives park a task on a fresh `Future` in a deque, and wake it
//! with `set_result`. aio's [`Waiter`] is that future, stripped down: a shared
//! flag and a waker. What asyncio does in `except CancelledError:` blocks, aio
//! does in [`OnCancel`] guards: cancelling a task drops its future, and with it
//! the guard, whose destructor puts things right (removes the waiter, passes a
//! wake-up on).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

// ANCHOR: waiter
/// A one-shot wake-up slot, shared by a waiting future and the primitive's
/// queue.
#[derive(Clone, Default)]
pub(crate) struct Waiter {
    state: Rc<WaiterState>,
}

#[derive(Default)]
struct WaiterState {
    woken: Cell<bool>,
    cancelled: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl Waiter {
    /// Wakes the waiting task, unless it was already woken or gave up. Returns
    /// whether this call woke it (asyncio: `if not fut.done():
    /// fut.set_result(...)`).
    pub(crate) fn wake(&self) -> bool {
        if self.is_done() {
            return false;
        }
        self.state.woken.set(true);
        if let Some(waker) = self.state.waker.take() {
            waker.wake();
        }
        true
    }

    /// Whether the waiter was woken or cancelled (asyncio's `fut.done()`).
    pub(crate) fn is_done(&self) -> bool {
        self.state.woken.get() || self.state.cancelled.get()
    }

    /// Whether the waiter was woken.
    pub(crate) fn woken(&self) -> bool {
        self.state.woken.get()
    }

    /// Whether the waiting side gave up.
    pub(crate) fn cancelled(&self) -> bool {
        self.state.cancelled.get()
    }

    /// Marks the waiter as given up, so that no wake-up is spent on it.
    pub(crate) fn cancel(&self) {
        if !self.state.woken.get() {
            self.state.cancelled.set(true);
        }
        self.state.waker.take();
    }

    /// Whether `self` and `other` are the same slot.
    pub(crate) fn same(&self, other: &Waiter) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }

    /// A future that completes when the waiter is woken.
    pub(crate) fn woken_up(&self) -> WokenUp<'_> {
        WokenUp { waiter: self }
    }
}

/// The future of [`Waiter::woken_up`].
pub(crate) struct WokenUp<'a> {
    waiter: &'a Waiter,
}

impl Future for WokenUp<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.waiter.woken() {
            return Poll::Ready(());
        }
        self.waiter.state.waker.replace(Some(cx.waker().clone()));
        Poll::Pending
    }
}
// ANCHOR_END: waiter

// ANCHOR: on_cancel
/// Runs a clean-up if dropped while armed: the `except CancelledError:` of aio.
/// A waiting future arms one before it awaits and disarms it once it has what
/// it waited for; if the task is cancelled in between, the future is dropped
/// and the clean-up runs.
pub(crate) struct OnCancel<F: FnOnce()> {
    cleanup: Option<F>,
}

impl<F: FnOnce()> OnCancel<F> {
    /// Arms `cleanup`.
    pub(crate) fn new(cleanup: F) -> Self {
        OnCancel { cleanup: Some(cleanup) }
    }

    /// The wait completed normally: nothing to clean up.
    pub(crate) fn disarm(mut self) {
        self.cleanup = None;
    }
}

impl<F: FnOnce()> Drop for OnCancel<F> {
    fn drop(&mut self) {
        if let Some(cleanup) = self.cleanup.take() {
            cleanup();
        }
    }
}
// ANCHOR_END: on_cancel

/// Removes `waiter` from `waiters`, if it is there.
pub(crate) fn remove_waiter(
    waiters: &RefCell<std::collections::VecDeque<Waiter>>,
    waiter: &Waiter,
) {
    waiters.borrow_mut().retain(|queued| !queued.same(waiter));
}
