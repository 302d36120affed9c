//! Chapter 6 (synchronization): `Barrier`, wait until `parties` tasks have arrived.
//!
//! Like asyncio's `Barrier` (Python 3.11): each `wait` returns the task's arrival index
//! once the last party arrives, and the barrier starts over for the next round. A
//! waiter that is cancelled before the barrier trips leaves the count. `reset` sends
//! the current waiters away with `BrokenBarrier` and starts over; `abort` breaks the
//! barrier for good.

use crate::sync_error::SyncError;
use crate::waiter::{OnCancel, Waiter, remove_waiter};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::rc::Rc;

/// An asyncio-style barrier. Cloning gives another handle to the same barrier.
#[derive(Clone)]
pub struct Barrier {
    inner: Rc<BarrierState>,
}

struct BarrierState {
    parties: usize,
    waiters: RefCell<VecDeque<Waiter>>,
    /// Bumped each time the barrier trips or is reset: a waiter whose round is over
    /// learns how it ended from `broken_rounds`.
    round: Cell<u64>,
    broken_rounds: RefCell<Vec<u64>>,
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
                round: Cell::new(0),
                broken_rounds: RefCell::default(),
                aborted: Cell::new(false),
            }),
        }
    }

    /// Waits until `parties` tasks are waiting, then returns this task's arrival index
    /// (0 for the first). Fails with `BrokenBarrier` if the barrier is reset or aborted.
    pub async fn wait(&self) -> Result<usize, SyncError> {
        let state = &*self.inner;
        if state.aborted.get() {
            return Err(SyncError::BrokenBarrier);
        }
        let index = state.waiters.borrow().len();
        if index + 1 == state.parties {
            // The last party: release everyone, and start the next round.
            let released = std::mem::take(&mut *state.waiters.borrow_mut());
            state.round.set(state.round.get() + 1);
            released.iter().for_each(|waiter| {
                waiter.wake();
            });
            return Ok(index);
        }
        let round = state.round.get();
        let waiter = Waiter::default();
        state.waiters.borrow_mut().push_back(waiter.clone());
        let on_cancel = OnCancel::new(|| {
            waiter.cancel();
            remove_waiter(&state.waiters, &waiter); // leave the count
        });
        waiter.woken_up().await;
        on_cancel.disarm();
        if state.broken_rounds.borrow().contains(&round) { Err(SyncError::BrokenBarrier) } else { Ok(index) }
    }

    /// Sends every current waiter away with `BrokenBarrier`, and starts an empty round.
    pub fn reset(&self) {
        self.break_round();
    }

    /// Breaks the barrier for good: current and future waits fail with `BrokenBarrier`.
    pub fn abort(&self) {
        self.inner.aborted.set(true);
        self.break_round();
    }

    fn break_round(&self) {
        let state = &*self.inner;
        let waiters = std::mem::take(&mut *state.waiters.borrow_mut());
        if !waiters.is_empty() {
            state.broken_rounds.borrow_mut().push(state.round.get());
        }
        state.round.set(state.round.get() + 1);
        waiters.iter().for_each(|waiter| {
            waiter.wake();
        });
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
