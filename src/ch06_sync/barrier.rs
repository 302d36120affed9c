//! Chapter 6 (synchronization): `Barrier`, wait until `parties` tasks have
//! arrived.
//!
//! A port of asyncio's `Barrier` (Python 3.11) and its four phases. While the
//! barrier is *filling*, tasks arrive and wait; the last one trips it, and it
//! *drains*: the tasks of the round leave, each with its index, and newcomers
//! wait until the last has left. `reset` *resets* it: the tasks inside leave
//! with `BrokenBarrier`, newcomers wait again, and the barrier fills anew
//! once they are gone. `abort` *breaks* it: every wait fails until a `reset`.
//! Each task learns its fate when it runs, from the phase then, as in asyncio:
//! a reset just after the trip breaks the tasks that have not run yet.
//!
//! One difference: asyncio fixes a task's index when it arrives, so a waiter
//! cancelled before the trip can leave two tasks with the same index (CPython
//! issue gh-155233). aio hands the indices out at the trip, among the tasks
//! still there, so they stay unique.

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

// ANCHOR: barrier_state
/// Where the barrier is in its cycle (asyncio's `_BarrierState`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Tasks arrive and wait for the round to fill.
    Filling,
    /// The round tripped and its tasks are leaving; newcomers wait.
    Draining,
    /// A reset broke the round and its tasks are leaving; newcomers wait.
    Resetting,
    /// Aborted: every wait fails until a reset.
    Broken,
}

impl Phase {
    /// Whether the round's tasks are leaving, so that newcomers must wait.
    fn is_emptying(self) -> bool {
        matches!(self, Phase::Draining | Phase::Resetting)
    }
}

struct BarrierState {
    parties: usize,
    phase: Cell<Phase>,
    /// Tasks inside `wait`, filling the round or leaving it (asyncio's
    /// `_count`).
    inside: Cell<usize>,
    /// The tasks filling the round, woken with their index when it trips, or
    /// with `BrokenBarrier` by a reset or an abort.
    round: WaitQueue<Result<usize, SyncError>>,
    /// Newcomers waiting for a drain or a reset to end.
    newcomers: WaitQueue,
}
// ANCHOR_END: barrier_state

// ANCHOR: barrier
impl Barrier {
    /// A barrier for `parties` tasks. Zero parties make a barrier of one, as
    /// `std::sync::Barrier` and tokio's do (asyncio raises `ValueError`).
    pub fn new(parties: usize) -> Barrier {
        Barrier {
            inner: Rc::new(BarrierState {
                parties: parties.max(1),
                phase: Cell::new(Phase::Filling),
                inside: Cell::new(0),
                round: WaitQueue::new(),
                newcomers: WaitQueue::new(),
            }),
        }
    }

    /// Waits until `parties` tasks are waiting, then returns this task's
    /// index among them (0 for the first to arrive, `parties - 1` for the
    /// last). Waits first for a drain or a reset to end. Fails with
    /// `BrokenBarrier` if the barrier is aborted, or is reset or aborted
    /// before this task has left it.
    pub async fn wait(&self) -> Result<usize, SyncError> {
        let state = &*self.inner;
        state.wait_for_a_round().await?;
        // Leaving, by returning or by being cancelled, may end the drain.
        let _inside = Inside::enter(state);
        if state.inside.get() == state.parties {
            state.trip();
            return Ok(state.parties - 1);
        }
        let woken = state.round.wait("Barrier", || {}).await.take();
        // The phase now decides: a reset or an abort since the trip breaks
        // this task too, as it breaks those still filling the round.
        match state.phase.get() {
            Phase::Draining => woken,
            _ => Err(SyncError::BrokenBarrier),
        }
    }

    /// Breaks the round: the tasks inside leave with `BrokenBarrier`, and the
    /// barrier fills anew once they have. Also repairs an aborted barrier.
    pub fn reset(&self) {
        let state = &*self.inner;
        if state.inside.get() > 0 {
            state.set_phase(Phase::Resetting);
        } else {
            state.set_phase(Phase::Filling);
        }
        state.round.wake_all(Err(SyncError::BrokenBarrier));
    }

    /// Breaks the barrier: the tasks inside and every later `wait` fail with
    /// `BrokenBarrier`, until a [`reset`](Barrier::reset).
    pub fn abort(&self) {
        let state = &*self.inner;
        state.set_phase(Phase::Broken);
        state.round.wake_all(Err(SyncError::BrokenBarrier));
    }
}

impl BarrierState {
    /// Waits while the barrier drains or resets (asyncio's `_block`).
    async fn wait_for_a_round(&self) -> Result<(), SyncError> {
        while self.phase.get().is_emptying() {
            self.newcomers.wait("Barrier (draining)", || {}).await.take();
        }
        match self.phase.get() {
            Phase::Broken => Err(SyncError::BrokenBarrier),
            _ => Ok(()),
        }
    }

    /// The last party has arrived: the round drains, and its waiters get
    /// their indices in arrival order.
    fn trip(&self) {
        self.set_phase(Phase::Draining);
        let mut index = 0;
        while self.round.wake_one(Ok(index)) {
            index += 1;
        }
    }

    /// A task leaves `wait`; the last one out ends a drain or a reset
    /// (asyncio's `_exit`).
    fn leave(&self) {
        self.inside.set(self.inside.get() - 1);
        if self.inside.get() == 0 && self.phase.get().is_emptying() {
            self.set_phase(Phase::Filling);
        }
    }

    /// Moves to `phase`. Newcomers wait only while the barrier drains or
    /// resets: any other phase wakes them, to come in or to fail.
    fn set_phase(&self, phase: Phase) {
        self.phase.set(phase);
        if !phase.is_emptying() {
            self.newcomers.wake_all(());
        }
    }
}

/// A task's stay inside `wait`, from its arrival in the round until it
/// returns or is cancelled.
struct Inside<'a>(&'a BarrierState);

impl<'a> Inside<'a> {
    fn enter(state: &'a BarrierState) -> Inside<'a> {
        state.inside.set(state.inside.get() + 1);
        Inside(state)
    }
}

impl Drop for Inside<'_> {
    fn drop(&mut self) {
        self.0.leave();
    }
}
// ANCHOR_END: barrier

impl Barrier {
    /// How many tasks must arrive to trip the barrier.
    pub fn parties(&self) -> usize {
        self.inner.parties
    }

    /// How many tasks are waiting for the round to fill: 0 while the barrier
    /// drains, resets or is broken, as in asyncio.
    pub fn n_waiting(&self) -> usize {
        match self.inner.phase.get() {
            Phase::Filling => self.inner.inside.get(),
            _ => 0,
        }
    }

    /// Whether the barrier was aborted, and not reset since.
    pub fn broken(&self) -> bool {
        self.inner.phase.get() == Phase::Broken
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Barrier")
            .field("parties", &self.parties())
            .field("phase", &self.inner.phase.get())
            .field("n_waiting", &self.n_waiting())
            .finish()
    }
}
