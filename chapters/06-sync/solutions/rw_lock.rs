//! Exercise 2: an `RwLock` made of aio's primitives.
//!
//! Every task, reader or writer, first passes a turnstile: an `aio::Lock`,
//! which is FIFO and cancellation safe. A reader only passes through it; a
//! writer keeps it while it waits for the readers inside to leave, and while
//! it writes, so nobody who came later gets in meanwhile. The last reader out
//! sets an `Event` for the writer. No code here deals with cancellation: a
//! cancelled task drops what it holds, and the primitives do the rest.

use aio::{Event, Lock, LockGuard};
use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

// ANCHOR: state
/// A readers-writer lock. Cloning gives another handle to the same lock.
#[derive(Clone, Default)]
pub struct RwLock {
    inner: Rc<RwState>,
}

#[derive(Default)]
struct RwState {
    /// Taken in turn by everyone who asks, and kept by the writer.
    turnstile: Lock,
    readers: Cell<usize>,
    writing: Cell<bool>,
    /// Set by the last reader to leave, for a writer waiting for it.
    no_readers: Event,
}

/// Shared access to an [`RwLock`], given up when dropped.
#[must_use = "the read access ends as soon as the guard is dropped"]
pub struct ReadGuard {
    lock: RwLock,
}

/// Exclusive access to an [`RwLock`], given up when dropped.
#[must_use = "the write access ends as soon as the guard is dropped"]
pub struct WriteGuard {
    lock: RwLock,
    /// The turnstile, kept for as long as the writer writes.
    _turn: LockGuard,
}
// ANCHOR_END: state

// ANCHOR: read_write
impl RwLock {
    /// Waits until no writer holds the lock and no writer asked before us,
    /// then holds it for reading.
    pub async fn read(&self) -> ReadGuard {
        let state = &*self.inner;
        // Once we hold the turnstile, every writer before us has finished.
        let _turn = state.turnstile.lock().await;
        state.readers.set(state.readers.get() + 1);
        ReadGuard { lock: self.clone() }
        // `_turn` is dropped here: the next in line may come in too.
    }

    /// Waits until everyone who asked before us is done and no reader holds
    /// the lock, then holds it alone.
    pub async fn write(&self) -> WriteGuard {
        let state = &*self.inner;
        let turn = state.turnstile.lock().await;
        // Readers that came before us may still be inside. Cancelled here,
        // we drop `turn`, and whoever is next in line goes on.
        while state.readers.get() > 0 {
            state.no_readers.clear();
            state.no_readers.wait().await;
        }
        state.writing.set(true);
        WriteGuard { lock: self.clone(), _turn: turn }
    }
}

impl Drop for ReadGuard {
    fn drop(&mut self) {
        let state = &*self.lock.inner;
        state.readers.set(state.readers.get() - 1);
        if state.readers.get() == 0 {
            state.no_readers.set();
        }
    }
}

impl Drop for WriteGuard {
    fn drop(&mut self) {
        self.lock.inner.writing.set(false);
        // Then `_turn` is dropped, which lets the next in line in.
    }
}
// ANCHOR_END: read_write

impl RwLock {
    /// A new lock, held by nobody.
    pub fn new() -> RwLock {
        RwLock::default()
    }

    /// How many readers hold the lock now.
    pub fn readers(&self) -> usize {
        self.inner.readers.get()
    }

    /// Whether a writer holds the lock now.
    pub fn writing(&self) -> bool {
        self.inner.writing.get()
    }
}

impl fmt::Debug for RwLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RwLock")
            .field("readers", &self.readers())
            .field("writing", &self.writing())
            .finish()
    }
}

impl fmt::Debug for ReadGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadGuard").finish_non_exhaustive()
    }
}

impl fmt::Debug for WriteGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteGuard").finish_non_exhaustive()
    }
}
