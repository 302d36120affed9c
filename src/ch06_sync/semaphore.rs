//! Chapter 6 (synchronization): `Semaphore` and `BoundedSemaphore`, counted
//! permits.
//!
//! A port of asyncio's `Semaphore`: `acquire` takes a permit or waits in FIFO
//! order; `release` returns one and hands it straight to the first waiter. A
//! waiter that was handed a permit and then cancelled gives it back and wakes
//! the next. A bounded semaphore refuses to be released past its initial value.

use crate::ch06_sync::sync_error::SyncError;
use crate::ch06_sync::wait_queue::WaitQueue;
use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

/// An asyncio-style semaphore. Cloning gives another handle to the same
/// semaphore.
#[derive(Clone)]
pub struct Semaphore {
    inner: Rc<SemaphoreState>,
}

struct SemaphoreState {
    value: Cell<usize>,
    /// `Some(initial)` for a bounded semaphore.
    bound: Option<usize>,
    waiters: WaitQueue,
}

/// A permit of a [`Semaphore`], returned when dropped.
#[must_use = "the permit is released as soon as the guard is dropped"]
pub struct SemaphorePermit {
    semaphore: Semaphore,
}

/// Constructor of a semaphore that cannot be released more times than it was
/// acquired (`asyncio.BoundedSemaphore`).
#[derive(Debug)]
pub struct BoundedSemaphore;

impl BoundedSemaphore {
    /// A bounded semaphore with `value` permits
    /// (`asyncio.BoundedSemaphore(value)`).
    // Like asyncio's, a bounded semaphore is a semaphore.
    #[allow(clippy::new_ret_no_self)]
    pub fn new(value: usize) -> Semaphore {
        Semaphore::with_bound(value, Some(value))
    }
}

// ANCHOR: semaphore
impl Semaphore {
    /// A semaphore with `value` permits.
    pub fn new(value: usize) -> Semaphore {
        Semaphore::with_bound(value, None)
    }

    fn with_bound(value: usize, bound: Option<usize>) -> Semaphore {
        Semaphore {
            inner: Rc::new(SemaphoreState {
                value: Cell::new(value),
                bound,
                waiters: WaitQueue::new(),
            }),
        }
    }

    /// Whether `acquire` would wait: no permit left, or others already waiting.
    pub fn locked(&self) -> bool {
        self.inner.value.get() == 0 || !self.inner.waiters.is_empty()
    }

    /// The number of free permits.
    pub fn value(&self) -> usize {
        self.inner.value.get()
    }

    /// Takes a permit, waiting for one if needed. Pair it with
    /// [`release`](Semaphore::release).
    pub async fn acquire(&self) {
        let state = &*self.inner;
        if !self.locked() {
            state.value.set(state.value.get() - 1);
            return;
        }
        // Handed a permit and then cancelled: give it back, and hand it on.
        let pass_on = || {
            state.value.set(state.value.get() + 1);
            self.wake_up_while_free();
        };
        state.waiters.wait("Semaphore", pass_on).await.take();
        self.wake_up_while_free();
    }

    /// Returns a permit, handing it to the first waiter if there is one. A
    /// bounded semaphore fails if this would exceed its initial value.
    pub fn release(&self) -> Result<(), SyncError> {
        let state = &*self.inner;
        if state.bound.is_some_and(|bound| state.value.get() >= bound) {
            return Err(SyncError::ReleasedTooManyTimes);
        }
        state.value.set(state.value.get() + 1);
        self.wake_up_next();
        Ok(())
    }

    /// Hands a free permit to the first waiter still waiting. Returns whether
    /// it did.
    fn wake_up_next(&self) -> bool {
        let woke = self.inner.waiters.wake_one(());
        if woke {
            self.inner.value.set(self.inner.value.get() - 1);
        }
        woke
    }

    /// Wakes as many waiters as there are free permits.
    fn wake_up_while_free(&self) {
        while self.inner.value.get() > 0 && self.wake_up_next() {}
    }
}
// ANCHOR_END: semaphore

impl Semaphore {
    /// Takes a permit and returns a guard that releases it when dropped.
    pub async fn permit(&self) -> SemaphorePermit {
        self.acquire().await;
        SemaphorePermit { semaphore: self.clone() }
    }
}

impl Drop for SemaphorePermit {
    fn drop(&mut self) {
        // The permit was taken, so returning it cannot exceed the bound.
        let _ = self.semaphore.release();
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("value", &self.value())
            .field("bound", &self.inner.bound)
            .field("waiters", &self.inner.waiters.len())
            .finish()
    }
}

impl fmt::Debug for SemaphorePermit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit").finish_non_exhaustive()
    }
}
