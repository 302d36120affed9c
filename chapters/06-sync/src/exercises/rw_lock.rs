//! Exercise 2: an `RwLock` made of aio's primitives (medium).
//!
//! Many readers at once, or one writer; first come, first served, so that
//! readers can't starve a writer; and safe when a waiting task is cancelled.
//! Build it from `aio::Lock` and `aio::Event` (or any of aio's public
//! primitives). The chapter page (`book/ch06-sync.md`, "Exercises") says what
//! the grader checks.

use std::fmt;
use std::rc::Rc;

/// A readers-writer lock. Cloning gives another handle to the same lock.
#[derive(Clone, Default)]
pub struct RwLock {
    // Your code here: the state the lock needs (shared through the `Rc`).
    inner: Rc<()>,
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
}

impl RwLock {
    /// A new lock, held by nobody.
    pub fn new() -> RwLock {
        RwLock::default()
    }

    /// How many readers hold the lock now.
    pub fn readers(&self) -> usize {
        // Your code here.
        0
    }

    /// Whether a writer holds the lock now.
    pub fn writing(&self) -> bool {
        // Your code here.
        false
    }

    /// Waits until no writer holds the lock and no writer asked before us,
    /// then holds it for reading.
    pub async fn read(&self) -> ReadGuard {
        // Your code here: wait your turn.
        ReadGuard { lock: self.clone() }
    }

    /// Waits until everyone who asked before us is done and no reader holds
    /// the lock, then holds it alone.
    pub async fn write(&self) -> WriteGuard {
        // Your code here: wait your turn, then for the readers to leave.
        WriteGuard { lock: self.clone() }
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
