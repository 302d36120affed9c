//! Chapter 6 (synchronization): the wait queue every primitive parks its
//! tasks in, and the one place where cancellation is handled.
//!
//! asyncio's primitives park a task on a fresh `Future` in a deque, wake it
//! with `set_result`, and clean up in `except CancelledError:` blocks, each
//! primitive its own way. aio writes that dance once. A [`WaitQueue`] keeps
//! its waiters in FIFO order; [`WaitQueue::wait`] queues one and returns a
//! future, [`Waiting`], which leaves the queue when it completes or is
//! dropped. What a waiter is woken with comes as a [`WakeUp`]: if the task is
//! cancelled after it was chosen but before it used the wake-up, dropping it
//! runs the primitive's `pass_on` rule instead, so nothing is lost.

use crate::ch01_coroutines::awaiting::{self, WaitingOn};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

// ANCHOR: wait_queue
/// A FIFO queue of waiting tasks. A waiter stays in it from
/// [`wait`](WaitQueue::wait) until its future completes or is dropped; `T` is
/// what it is woken with (`()` for most primitives).
pub(crate) struct WaitQueue<T = ()> {
    waiters: RefCell<VecDeque<Waiter<T>>>,
    next_id: Cell<u64>,
}

struct Waiter<T> {
    id: u64,
    state: State<T>,
}

enum State<T> {
    /// Not chosen yet; the waker of the task, once it has been polled.
    Waiting(Option<Waker>),
    /// Chosen, with this value, but its task has not run yet.
    Woken(T),
}

impl<T> WaitQueue<T> {
    /// An empty queue.
    pub(crate) fn new() -> Self {
        WaitQueue { waiters: RefCell::default(), next_id: Cell::new(0) }
    }

    /// Joins the back of the queue now, and returns the future to await.
    /// `primitive` names the queue's primitive for chapter 14's task tree.
    /// `pass_on` is the primitive's rule for a waiter that is chosen and then
    /// cancelled before it uses its wake-up: it runs, once, if that happens.
    pub(crate) fn wait<F: FnOnce()>(
        &self,
        primitive: &'static str,
        pass_on: F,
    ) -> Waiting<'_, T, F> {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let waiter = Waiter { id, state: State::Waiting(None) };
        self.waiters.borrow_mut().push_back(waiter);
        Waiting { queue: self, id, primitive, pass_on: Some(pass_on) }
    }

    /// Chooses the first waiter not chosen yet and wakes it with `value`.
    /// Returns whether there was one.
    pub(crate) fn wake_one(&self, value: T) -> bool {
        let mut waiters = self.waiters.borrow_mut();
        let Some(waiter) = waiters.iter_mut().find(|w| w.is_waiting()) else {
            return false;
        };
        let state = std::mem::replace(&mut waiter.state, State::Woken(value));
        drop(waiters); // the woken task may come back to this queue
        if let State::Waiting(Some(waker)) = state {
            waker.wake();
        }
        true
    }

    /// Wakes every waiter not chosen yet with `value`, first come first
    /// woken: one pass over the queue, and the wakers are called after it is
    /// released.
    pub(crate) fn wake_all(&self, value: T)
    where
        T: Clone,
    {
        let wakers: Vec<Waker> = {
            let mut waiters = self.waiters.borrow_mut();
            let chosen =
                waiters.iter_mut().filter(|waiter| waiter.is_waiting());
            chosen
                .filter_map(|waiter| {
                    let woken = State::Woken(value.clone());
                    match std::mem::replace(&mut waiter.state, woken) {
                        State::Waiting(waker) => waker,
                        State::Woken(_) => None,
                    }
                })
                .collect()
        };
        wakers.into_iter().for_each(Waker::wake);
    }

    /// How many waiters are queued, chosen or not.
    pub(crate) fn len(&self) -> usize {
        self.waiters.borrow().len()
    }

    /// Whether nobody is queued, chosen or not.
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many waiters are still waiting to be chosen.
    pub(crate) fn waiting(&self) -> usize {
        self.waiters.borrow().iter().filter(|w| w.is_waiting()).count()
    }

    /// Takes waiter `id` out of the queue, with its value if it was chosen.
    fn remove(&self, id: u64) -> Option<T> {
        let mut waiters = self.waiters.borrow_mut();
        let index = waiters.iter().position(|w| w.id == id)?;
        match waiters.remove(index)?.state {
            State::Woken(value) => Some(value),
            State::Waiting(_) => None,
        }
    }
}
// ANCHOR_END: wait_queue

impl<T> Waiter<T> {
    fn is_waiting(&self) -> bool {
        matches!(self.state, State::Waiting(_))
    }
}

// ANCHOR: waiting
/// A place in a [`WaitQueue`]: completes with a [`WakeUp`] once chosen.
/// Dropping it leaves the queue, and passes the wake-up on if it had been
/// chosen already.
#[must_use = "the place in the queue is given up when this is dropped"]
pub(crate) struct Waiting<'a, T, F: FnOnce()> {
    queue: &'a WaitQueue<T>,
    id: u64,
    /// The primitive it waits on, for the task tree.
    primitive: &'static str,
    /// `None` once the future has completed.
    pass_on: Option<F>,
}

impl<T, F: FnOnce()> Future for Waiting<'_, T, F> {
    type Output = WakeUp<T, F>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let mut waiters = this.queue.waiters.borrow_mut();
        let waiter = waiters
            .iter_mut()
            .find(|w| w.id == this.id)
            .expect("Waiting polled after it completed");
        if let State::Waiting(waker) = &mut waiter.state {
            *waker = Some(cx.waker().clone());
            awaiting::note(|| WaitingOn::Primitive(this.primitive));
            return Poll::Pending;
        }
        drop(waiters);
        let value = this.queue.remove(this.id);
        Poll::Ready(WakeUp { value, pass_on: this.pass_on.take() })
    }
}

impl<T, F: FnOnce()> Drop for Waiting<'_, T, F> {
    fn drop(&mut self) {
        let Some(pass_on) = self.pass_on.take() else { return };
        // The task gave up (it was cancelled): leave the queue. If it had
        // been chosen, the wake-up it will never use goes on.
        if self.queue.remove(self.id).is_some() {
            pass_on();
        }
    }
}

/// What a waiter was woken with, until it is used. [`take`](WakeUp::take)
/// uses it; dropping it unused (the task was cancelled first) runs the
/// primitive's `pass_on` rule.
#[must_use = "dropping a wake-up unused passes it on; call take()"]
pub(crate) struct WakeUp<T, F: FnOnce()> {
    /// `Some` until taken.
    value: Option<T>,
    /// `None` once taken.
    pass_on: Option<F>,
}

impl<T, F: FnOnce()> WakeUp<T, F> {
    /// Uses the wake-up: nothing will be passed on.
    pub(crate) fn take(mut self) -> T {
        self.pass_on = None;
        self.value.take().expect("a wake-up holds its value until taken")
    }
}

impl<T, F: FnOnce()> Drop for WakeUp<T, F> {
    fn drop(&mut self) {
        if let Some(pass_on) = self.pass_on.take() {
            pass_on(); // cancelled while holding it: pass it on
        }
    }
}
// ANCHOR_END: waiting

// Nothing in a `Waiting` is pinned: it is polled through `&mut`.
impl<T, F: FnOnce()> Unpin for Waiting<'_, T, F> {}

impl<T> Default for WaitQueue<T> {
    fn default() -> Self {
        WaitQueue::new()
    }
}

impl<T> fmt::Debug for WaitQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitQueue")
            .field("waiting", &self.waiting())
            .field("woken", &(self.len() - self.waiting()))
            .finish()
    }
}

impl<T, F: FnOnce()> fmt::Debug for Waiting<'_, T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiting")
            .field("id", &self.id)
            .field("done", &self.pass_on.is_none())
            .finish()
    }
}

impl<T, F: FnOnce()> fmt::Debug for WakeUp<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WakeUp")
            .field("used", &self.value.is_none())
            .finish_non_exhaustive()
    }
}
