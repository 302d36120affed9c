//! Chapter 6 (synchronization): `Lock`, mutual exclusion between tasks.
//!
//! A port of asyncio's `Lock`: FIFO-fair (a new acquirer never jumps the
//! queue), and safe under cancellation: a waiter that is woken and then
//! cancelled before it takes the lock wakes the next waiter instead, so the
//! lock is never left stranded. Use it scoped, with [`Lock::lock`] and a guard
//! that releases on drop (Python's `async with`), or explicitly with
//! [`Lock::acquire`] and [`Lock::release`].

use crate::ch06_sync::sync_error::SyncError;
use crate::ch06_sync::wait_queue::WaitQueue;
use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

/// An asyncio-style lock. Cloning gives another handle to the same lock.
///
/// ```
/// let order = aio::run(async {
///     let lock = aio::Lock::new();
///     let guard = lock.lock().await;
///     let waiter = aio::spawn({
///         let lock = lock.clone();
///         async move {
///             let _guard = lock.lock().await; // waits for `guard`
///             "second"
///         }
///     })
///     .unwrap();
///     aio::sleep(std::time::Duration::ZERO).await;
///     assert!(lock.locked() && !waiter.done());
///     drop(guard); // releases the lock, and wakes the waiter
///     ["first", waiter.await.unwrap()]
/// });
/// assert_eq!(order.unwrap(), ["first", "second"]);
/// ```
#[derive(Clone, Default)]
pub struct Lock {
    inner: Rc<LockState>,
}

#[derive(Default)]
struct LockState {
    locked: Cell<bool>,
    waiters: WaitQueue,
}

/// Holds a [`Lock`] until dropped (the body of Python's `async with lock:`).
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct LockGuard {
    lock: Lock,
}

// ANCHOR: lock_acquire
impl Lock {
    /// A new, unlocked lock.
    pub fn new() -> Lock {
        Lock::default()
    }

    /// Whether the lock is held.
    pub fn locked(&self) -> bool {
        self.inner.locked.get()
    }

    /// Waits for the lock and takes it. Pair it with
    /// [`release`](Lock::release).
    pub async fn acquire(&self) {
        let state = &*self.inner;
        // Take it at once only if nobody is queued: no barging past waiters.
        if !state.locked.get() && state.waiters.is_empty() {
            state.locked.set(true);
            return;
        }
        // Woken and then cancelled: pass the wake-up on, so that the lock is
        // not left free with waiters asleep.
        let pass_on = || self.wake_up_first();
        state.waiters.wait("Lock", pass_on).await.take();
        state.locked.set(true);
    }

    /// Releases the lock and wakes the first waiter. Fails if the lock is not
    /// held.
    pub fn release(&self) -> Result<(), SyncError> {
        if !self.inner.locked.get() {
            return Err(SyncError::NotLocked);
        }
        self.inner.locked.set(false);
        self.wake_up_first();
        Ok(())
    }

    fn wake_up_first(&self) {
        self.inner.waiters.wake_one(());
    }
}
// ANCHOR_END: lock_acquire

impl Lock {
    /// Waits for the lock and returns a guard that releases it when dropped.
    pub async fn lock(&self) -> LockGuard {
        self.acquire().await;
        LockGuard { lock: self.clone() }
    }

    /// Whether `guard` holds this lock.
    pub(crate) fn owns(&self, guard: &LockGuard) -> bool {
        Rc::ptr_eq(&self.inner, &guard.lock.inner)
    }
}

impl LockGuard {
    /// The lock this guard holds.
    pub fn lock(&self) -> &Lock {
        &self.lock
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        // The guard exists only while the lock is held, so this cannot fail.
        let _ = self.lock.release();
    }
}

impl fmt::Debug for Lock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lock")
            .field("locked", &self.locked())
            .field("waiters", &self.inner.waiters.len())
            .finish()
    }
}

impl fmt::Debug for LockGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockGuard").finish_non_exhaustive()
    }
}
