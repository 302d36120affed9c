//! Exercise 3: asyncio's `Lock`, ported on promises (medium).
//!
//! `cancel_race.rs` has a `NaiveLock` that parks tasks on `aio::Promise`s and
//! strands the lock when a woken waiter is cancelled. Write [`PromiseLock`]
//! the way asyncio's `Lock.acquire` is written, `try`/`finally`/`except
//! CancelledError` and all, with a destructor in their place. The grader runs
//! the same scenarios on it and on `aio::Lock`, and compares. The chapter
//! page (`book/ch06-sync.md`, "Exercises") says more.

use aio::SyncError;
use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

/// A FIFO lock whose waiters are parked on promises. Cloning gives another
/// handle to the same lock.
#[derive(Clone, Default)]
pub struct PromiseLock {
    // Your code here: a queue of waiting promises, next to the flag.
    locked: Rc<Cell<bool>>,
}

impl PromiseLock {
    /// A new, unlocked lock.
    pub fn new() -> PromiseLock {
        PromiseLock::default()
    }

    /// Whether the lock is held.
    pub fn locked(&self) -> bool {
        self.locked.get()
    }

    /// Waits for the lock and takes it: at once if it is free and nobody is
    /// queued, otherwise in the order the waiters came. A waiter that is
    /// woken and then cancelled before it runs passes the wake-up on.
    pub async fn acquire(&self) {
        // Your code here: queue a promise and await it, unless the lock is
        // free and nobody waits.
        self.locked.set(true);
    }

    /// Releases the lock and wakes the first waiter. Fails with
    /// `SyncError::NotLocked` if the lock is not held.
    pub fn release(&self) -> Result<(), SyncError> {
        // Your code here: check, and wake the first waiter.
        self.locked.set(false);
        Ok(())
    }
}

impl fmt::Debug for PromiseLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PromiseLock")
            .field("locked", &self.locked())
            .finish_non_exhaustive()
    }
}
