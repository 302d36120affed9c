//! Exercise 4: tokio's `Notify`, on a wait queue of its own.
//!
//! The state is a permit, a count of `notify_waiters` calls, and a FIFO queue
//! of waiters, each holding its task's waker and, once chosen, how it was
//! woken. A `Notified` that is dropped after `notify_one` chose it, but
//! before it saw that, passes the notification on: to the next waiter, or
//! back into the permit.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

// ANCHOR: state
/// tokio's `Notify`, for one thread. Cloning gives another handle to the same
/// one.
#[derive(Clone, Default)]
pub struct Notify {
    inner: Rc<NotifyState>,
}

#[derive(Default)]
struct NotifyState {
    /// A `notify_one` that found nobody to wake.
    permit: Cell<bool>,
    /// How many times `notify_waiters` was called.
    generation: Cell<u64>,
    /// The waiters, oldest first.
    waiters: RefCell<VecDeque<Waiter>>,
    next_id: Cell<u64>,
}

/// One waiting `Notified`, found by its `id`.
struct Waiter {
    id: u64,
    waker: Waker,
    /// `Some` once chosen: it stays queued until its task runs.
    woken: Option<Woken>,
}

/// Who woke a waiter: it matters when the waiter is dropped unwoken.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Woken {
    ByNotifyOne,
    ByNotifyWaiters,
}
// ANCHOR_END: state

/// The future of [`Notify::notified`]: completes once this waiter is
/// notified.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Notified {
    notify: Notify,
    /// `notify_waiters` calls when the future was made.
    generation: u64,
    stage: Stage,
}

enum Stage {
    /// Not polled yet: not in the queue.
    Made,
    /// In the queue, under this id.
    Queued(u64),
    Done,
}

// ANCHOR: notify
impl Notify {
    /// Wakes the first waiter not woken yet, oldest first; with nobody to
    /// wake, stores a permit (at most one) for the next `notified()`.
    pub fn notify_one(&self) {
        let waker = {
            let mut waiters = self.inner.waiters.borrow_mut();
            match waiters.iter_mut().find(|waiter| waiter.woken.is_none()) {
                Some(waiter) => {
                    waiter.woken = Some(Woken::ByNotifyOne);
                    waiter.waker.clone()
                }
                None => {
                    self.inner.permit.set(true);
                    return;
                }
            }
        };
        waker.wake(); // with the queue no longer borrowed
    }

    /// Wakes every waiter, including every `Notified` made before this call
    /// and not yet polled. Stores no permit.
    pub fn notify_waiters(&self) {
        let state = &*self.inner;
        state.generation.set(state.generation.get() + 1);
        let wakers: Vec<Waker> = state
            .waiters
            .borrow_mut()
            .iter_mut()
            .filter(|waiter| waiter.woken.is_none())
            .map(|waiter| {
                waiter.woken = Some(Woken::ByNotifyWaiters);
                waiter.waker.clone()
            })
            .collect();
        wakers.into_iter().for_each(Waker::wake);
    }

    /// A future that completes when notified: at once if a permit is
    /// stored (taking it), or if `notify_waiters` is called after this
    /// call, even before the first poll.
    pub fn notified(&self) -> Notified {
        Notified {
            notify: self.clone(),
            generation: self.inner.generation.get(),
            stage: Stage::Made,
        }
    }
}
// ANCHOR_END: notify

// ANCHOR: notified
impl Future for Notified {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Nothing in a `Notified` is pinned: it is `Unpin`.
        let this = self.get_mut();
        let state = &*this.notify.inner;
        match this.stage {
            Stage::Done => Poll::Ready(()),
            Stage::Made => {
                // `notify_waiters` since we were made, or a stored permit.
                if state.generation.get() != this.generation
                    || state.permit.replace(false)
                {
                    this.stage = Stage::Done;
                    return Poll::Ready(());
                }
                let id = state.next_id.replace(state.next_id.get() + 1);
                let waker = cx.waker().clone();
                let waiter = Waiter { id, waker, woken: None };
                state.waiters.borrow_mut().push_back(waiter);
                this.stage = Stage::Queued(id);
                Poll::Pending
            }
            Stage::Queued(id) => {
                let mut waiters = state.waiters.borrow_mut();
                let Some(index) = waiters.iter().position(|w| w.id == id)
                else {
                    this.stage = Stage::Done; // cannot happen: we are queued
                    return Poll::Ready(());
                };
                if waiters[index].woken.is_some() {
                    waiters.remove(index);
                    this.stage = Stage::Done;
                    return Poll::Ready(());
                }
                let waiter = &mut waiters[index];
                if !waiter.waker.will_wake(cx.waker()) {
                    waiter.waker = cx.waker().clone();
                }
                Poll::Pending
            }
        }
    }
}

impl Drop for Notified {
    fn drop(&mut self) {
        let Stage::Queued(id) = self.stage else { return };
        let state = &*self.notify.inner;
        let mut waiters = state.waiters.borrow_mut();
        let Some(index) = waiters.iter().position(|w| w.id == id) else {
            return;
        };
        let woken = waiters.remove(index).and_then(|waiter| waiter.woken);
        drop(waiters);
        // Chosen by `notify_one`, and dropped before it could see it: the
        // notification goes to the next waiter, or back into the permit.
        // `notify_waiters` woke everyone, so its wake-up is owed to nobody.
        if woken == Some(Woken::ByNotifyOne) {
            self.notify.notify_one();
        }
    }
}
// ANCHOR_END: notified

impl Notify {
    /// A `Notify` with no permit and nobody waiting.
    pub fn new() -> Notify {
        Notify::default()
    }
}

impl fmt::Debug for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notify")
            .field("permit", &self.inner.permit.get())
            .field("waiters", &self.inner.waiters.borrow().len())
            .finish()
    }
}

impl fmt::Debug for Notified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notified").finish_non_exhaustive()
    }
}
