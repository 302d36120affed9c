//! Chapter 6 (synchronization): `Condition`, wait for a notification under a
//! lock.
//!
//! A port of asyncio's `Condition`. `wait` releases the lock, sleeps until
//! notified, and takes the lock back before returning. In Rust, `wait` takes
//! the lock's guard and hands back a new one, so holding the lock is checked by
//! the compiler, not at run time. Notifications go to waiters in FIFO order,
//! exactly as many as asked for; a waiter that was notified and then cancelled
//! passes its notification on, so none is ever lost.

use crate::ch06_sync::lock::{Lock, LockGuard};
use crate::ch06_sync::sync_error::SyncError;
use crate::ch06_sync::wait_queue::WaitQueue;
use std::fmt;
use std::rc::Rc;

/// An asyncio-style condition variable. Cloning gives another handle to the
/// same one.
#[derive(Clone, Default)]
pub struct Condition {
    lock: Lock,
    waiters: Rc<WaitQueue>,
}

// ANCHOR: condition_wait
impl Condition {
    /// A condition with a lock of its own.
    pub fn new() -> Condition {
        Condition::default()
    }

    /// A condition over an existing lock.
    pub fn with_lock(lock: Lock) -> Condition {
        Condition { lock, waiters: Rc::default() }
    }

    /// Takes the condition's lock (Python's `async with condition:`).
    pub async fn lock(&self) -> LockGuard {
        self.lock.lock().await
    }

    /// Whether the condition's lock is held.
    pub fn locked(&self) -> bool {
        self.lock.locked()
    }

    /// Releases the lock, waits to be notified, takes the lock again and
    /// returns its guard. Fails if `guard` belongs to another lock.
    pub async fn wait(&self, guard: LockGuard) -> Result<LockGuard, SyncError> {
        if !self.lock.owns(&guard) {
            return Err(SyncError::ForeignGuard);
        }
        // Notified and then cancelled: pass the notification on, so that as
        // many waiters wake as the notifier asked for.
        let pass_on = || self.notify_waiters(1);
        // Queued before we release the lock.
        let waiting = self.waiters.wait("Condition", pass_on);
        drop(guard); // release the lock while we sleep
        let notified = waiting.await;
        // Hold on to the notification until we have the lock back: if we are
        // cancelled while taking it, dropping `notified` passes it on.
        let guard = self.lock.lock().await;
        notified.take();
        Ok(guard)
    }

    /// Wakes up to `n` waiters, first come first woken. The lock must be held.
    pub fn notify(&self, n: usize) -> Result<(), SyncError> {
        if !self.locked() {
            return Err(SyncError::NotLocked);
        }
        self.notify_waiters(n);
        Ok(())
    }

    /// Wakes every waiter. The lock must be held.
    pub fn notify_all(&self) -> Result<(), SyncError> {
        self.notify(usize::MAX)
    }

    fn notify_waiters(&self, n: usize) {
        for _ in 0..n {
            if !self.waiters.wake_one(()) {
                break;
            }
        }
    }
}
// ANCHOR_END: condition_wait

impl Condition {
    /// Waits until `predicate` returns true, checking it under the lock first
    /// and after every notification (asyncio's `wait_for`).
    pub async fn wait_for(
        &self,
        mut guard: LockGuard,
        mut predicate: impl FnMut() -> bool,
    ) -> Result<LockGuard, SyncError> {
        while !predicate() {
            guard = self.wait(guard).await?;
        }
        Ok(guard)
    }
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condition")
            .field("locked", &self.locked())
            .field("waiters", &self.waiters.len())
            .finish()
    }
}
