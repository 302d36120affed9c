//! Chapter 6 (synchronization): `Barrier`, wait until `parties` tasks have
//! arrived.
//!
//! Like asyncio's `Barrier` (Python 3.11): each `wait` returns the task's
//! arrival index once the last party arrives, and the barrier starts over for
//! the next round. A waiter that is cancelled before the barrier trips leaves
//! the count, and the indices are counted among the waiters still there when it
//! trips, so they stay unique (in asyncio a cancelled waiter can leave two
//! tasks with the same index). `reset` sends the current waiters away with
//! `BrokenBarrier` and starts over; `abort` breaks the barrier for good.

use crate::ch06_sync::sync_error::SyncError;
use crate::ch06_sync::waiter::{OnCancel, Waiter};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::rc::Rc;

/// An asyncio-style barrier. Cloning gives another handle to the same barrier.
#[derive(Clone)]
pub struct Barrier {
    inner: Rc<BarrierState>,
}

/// What a waiting task learns when it is woken: its arrival index, or that the
/// round was broken.
type Outcome = Rc<Cell<Option<Result<usize, SyncError>>>>;

struct BarrierState {
    parties: usize,
    waiters: RefCell<VecDeque<(Waiter, Outcome)>>,
    aborted: Cell<bool>,
}

// ANCHOR: barrier
impl Barrier {
    /// A barrier for `parties` tasks (at least one).
    pub fn new(parties: usize) -> Barrier {
        Barrier {
            inner: Rc::new(BarrierState {
                parties: parties.max(1),
                waiters: RefCell::default(),
                aborted: Cell::new(false),
            }),
        }
    }

    /// Waits until `parties` tasks are waiting, then returns this task's
    /// arrival index among them (0 for the first). Fails with `BrokenBarrier`
    /// if the barrier is reset or aborted meanwhile.
    pub async fn wait(&self) -> Result<usize, SyncError> {
        let state = &*self.inner;
        if state.aborted.get() {
            return Err(SyncError::BrokenBarrier);
        }
        if state.waiters.borrow().len() + 1 == state.parties {
            // The last party: release everyone with their index; the next round
            // starts empty.
            let released = std::mem::take(&mut *state.waiters.borrow_mut());
            for (index, (waiter, outcome)) in released.iter().enumerate() {
                outcome.set(Some(Ok(index)));
                waiter.wake();
            }
            return Ok(state.parties - 1);
        }
        let waiter = Waiter::default();
        let outcome: Outcome = Rc::default();
        state.waiters.borrow_mut().push_back((waiter.clone(), outcome.clone()));
        let on_cancel = OnCancel::new(|| {
            waiter.cancel();
            // Leave the count: later arrivals take our place.
            state
                .waiters
                .borrow_mut()
                .retain(|(queued, _)| !queued.same(&waiter));
        });
        waiter.woken_up().await;
        on_cancel.disarm();
        outcome.take().unwrap_or(Err(SyncError::BrokenBarrier))
    }

    /// Sends every current waiter away with `BrokenBarrier`, and starts an
    /// empty round.
    pub fn reset(&self) {
        let waiters = std::mem::take(&mut *self.inner.waiters.borrow_mut());
        for (waiter, outcome) in waiters {
            outcome.set(Some(Err(SyncError::BrokenBarrier)));
            waiter.wake();
        }
    }

    /// Breaks the barrier for good: current and future waits fail with
    /// `BrokenBarrier`.
    pub fn abort(&self) {
        self.inner.aborted.set(true);
        self.reset();
    }
}
// ANCHOR_END: barrier

impl Barrier {
    /// How many tasks must arrive to trip the barrier.
    pub fn parties(&self) -> usize {
        self.inner.parties
    }

    /// How many tasks are waiting now.
    pub fn n_waiting(&self) -> usize {
        self.inner.waiters.borrow().len()
    }

    /// Whether the barrier was aborted.
    pub fn broken(&self) -> bool {
        self.inner.aborted.get()
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Barrier")
            .field("parties", &self.parties())
            .field("waiting", &self.n_waiting())
            .field("broken", &self.broken())
            .finish()
    }
}
