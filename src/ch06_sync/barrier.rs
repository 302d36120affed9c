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
use crate::ch06_sync::wait_queue::WaitQueue;
use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

/// An asyncio-style barrier. Cloning gives another handle to the same barrier.
#[derive(Clone)]
pub struct Barrier {
    inner: Rc<BarrierState>,
}

struct BarrierState {
    parties: usize,
    /// Each waiter is woken with its arrival index, or with `BrokenBarrier`.
    waiters: WaitQueue<Result<usize, SyncError>>,
    aborted: Cell<bool>,
}

// ANCHOR: barrier
impl Barrier {
    /// A barrier for `parties` tasks (at least one).
    pub fn new(parties: usize) -> Barrier {
        Barrier {
            inner: Rc::new(BarrierState {
                parties: parties.max(1),
                waiters: WaitQueue::new(),
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
        if state.waiters.waiting() + 1 == state.parties {
            // The last party: release everyone with their index; the next
            // round starts empty.
            let mut index = 0;
            while state.waiters.wake_one(Ok(index)) {
                index += 1;
            }
            return Ok(index);
        }
        // Cancelled before the trip: we just leave the count, and later
        // arrivals take our place. Cancelled after it: nothing to pass on.
        state.waiters.wait(|| {}).await.take()
    }

    /// Sends every current waiter away with `BrokenBarrier`, and starts an
    /// empty round.
    pub fn reset(&self) {
        self.inner.waiters.wake_all(Err(SyncError::BrokenBarrier));
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
        self.inner.waiters.waiting()
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
