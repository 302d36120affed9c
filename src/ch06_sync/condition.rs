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
use crate::ch06_sync::waiter::{OnCancel, Waiter, remove_waiter};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::rc::Rc;

/// An asyncio-style condition variable. Cloning gives another handle to the
/// same one.
#[derive(Clone, Default)]
pub struct Condition {
    lock: Lock,
    waiters: Rc<RefCell<VecDeque<Waiter>>>,
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
        let waiter = Waiter::default();
        self.waiters.borrow_mut().push_back(waiter.clone());
        drop(guard); // release the lock while we sleep
        let on_cancel = OnCancel::new(|| {
            waiter.cancel();
            remove_waiter(&self.waiters, &waiter);
            if waiter.woken() {
                self.notify_waiters(1); // notified, then cancelled: pass it on
            }
        });
        waiter.woken_up().await;
        on_cancel.disarm();
        remove_waiter(&self.waiters, &waiter);
        // Cancelled while taking the lock back: we had been notified, so pass
        // it on.
        let pass_on = OnCancel::new(|| self.notify_waiters(1));
        let guard = self.lock.lock().await;
        pass_on.disarm();
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
        let waiters: Vec<Waiter> =
            self.waiters.borrow().iter().cloned().collect();
        let mut woken = 0;
        for waiter in waiters {
            if woken >= n {
                break;
            }
            if waiter.wake() {
                woken += 1;
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
            .field("waiters", &self.waiters.borrow().len())
            .finish()
    }
}
