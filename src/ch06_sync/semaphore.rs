//! Chapter 6 (synchronization): `Semaphore` and `BoundedSemaphore`, counted
//! permits.
//!
//! A port of asyncio's `Semaphore`: `acquire` takes a permit or waits in FIFO
//! order; `release` returns one and hands it straight to the first waiter. A
//! waiter that was handed a permit and then cancelled gives it back and wakes
//! the next. A bounded semaphore refuses to be released past its initial value.

use crate::ch06_sync::sync_error::SyncError;
use crate::ch06_sync::waiter::{OnCancel, Waiter, remove_waiter};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
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
    waiters: RefCell<VecDeque<Waiter>>,
}

/// A permit of a [`Semaphore`], returned when dropped.
#[must_use = "the permit is released as soon as the guard is dropped"]
pub struct SemaphorePermit {
    semaphore: Semaphore,
}

/// A semaphore that cannot be released more times than it was acquired.
pub struct BoundedSemaphore;

impl BoundedSemaphore {
    /// A bounded semaphore with `value` permits
    /// (`asyncio.BoundedSemaphore(value)`).
    #[allow(clippy::new_ret_no_self)] // like asyncio, a bounded semaphore is a semaphore
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
                waiters: RefCell::default(),
            }),
        }
    }

    /// Whether `acquire` would wait: no permit left, or others already waiting.
    pub fn locked(&self) -> bool {
        self.inner.value.get() == 0
            || self.inner.waiters.borrow().iter().any(|w| !w.cancelled())
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
        let waiter = Waiter::default();
        state.waiters.borrow_mut().push_back(waiter.clone());
        let on_cancel = OnCancel::new(|| {
            waiter.cancel();
            remove_waiter(&state.waiters, &waiter);
            if waiter.woken() {
                // We were handed a permit but will not use it: give it back.
                state.value.set(state.value.get() + 1);
            }
            self.wake_up_while_free();
        });
        waiter.woken_up().await;
        on_cancel.disarm();
        remove_waiter(&state.waiters, &waiter);
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
        let waiters: Vec<Waiter> =
            self.inner.waiters.borrow().iter().cloned().collect();
        for waiter in waiters {
            if !waiter.is_done() {
                self.inner.value.set(self.inner.value.get() - 1);
                waiter.wake();
                return true;
            }
        }
        false
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
            .field("waiters", &self.inner.waiters.borrow().len())
            .finish()
    }
}

impl fmt::Debug for SemaphorePermit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit").finish_non_exhaustive()
    }
}
