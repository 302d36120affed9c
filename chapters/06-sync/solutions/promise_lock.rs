//! Exercise 3: asyncio's `Lock`, ported on promises.
//!
//! asyncio's `Lock.acquire` appends a future to a deque and awaits it; its
//! `finally` removes the future again, and its `except CancelledError` wakes
//! the next waiter if the lock is free. Here both live in the destructor of
//! a `Waiter`, which runs whether the wait ends normally or the task's future
//! is dropped because it was cancelled.

use aio::{Promise, SyncError};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::rc::Rc;

// ANCHOR: state
/// A FIFO lock whose waiters are parked on promises. Cloning gives another
/// handle to the same lock.
#[derive(Clone, Default)]
pub struct PromiseLock {
    inner: Rc<LockState>,
}

#[derive(Default)]
struct LockState {
    locked: Cell<bool>,
    /// The waiters, oldest first, each with a number to find it by. A woken
    /// waiter stays here until its task runs (asyncio's `_waiters`).
    waiters: RefCell<VecDeque<(u64, Promise<()>)>>,
    next_id: Cell<u64>,
}
// ANCHOR_END: state

// ANCHOR: acquire
impl PromiseLock {
    /// Waits for the lock and takes it: at once if it is free and nobody is
    /// queued, otherwise in the order the waiters came. A waiter that is
    /// woken and then cancelled before it runs passes the wake-up on.
    pub async fn acquire(&self) {
        let state = &*self.inner;
        if !state.locked.get() && state.waiters.borrow().is_empty() {
            state.locked.set(true);
            return;
        }
        let promise = Promise::new().expect("acquire runs inside a task");
        let id = state.next_id.replace(state.next_id.get() + 1);
        state.waiters.borrow_mut().push_back((id, promise.clone()));
        let waiter = Waiter { lock: self, id };
        // Only `release` settles the promise, and only with a result.
        let _ = promise.await;
        state.locked.set(true);
        drop(waiter); // asyncio's `finally: self._waiters.remove(fut)`
    }

    /// Releases the lock and wakes the first waiter. Fails with
    /// `SyncError::NotLocked` if the lock is not held.
    pub fn release(&self) -> Result<(), SyncError> {
        if !self.inner.locked.get() {
            return Err(SyncError::NotLocked);
        }
        self.inner.locked.set(false);
        self.wake_up_first();
        Ok(())
    }

    /// Wakes the first waiter, unless it was woken already and has not run
    /// yet (asyncio's `_wake_up_first`).
    fn wake_up_first(&self) {
        let first = self.inner.waiters.borrow().front().cloned();
        if let Some((_, first)) = first
            && !first.done()
        {
            let _ = first.set_result(());
        }
    }
}
// ANCHOR_END: acquire

// ANCHOR: waiter
/// A task's place in the queue, for as long as it waits.
struct Waiter<'a> {
    lock: &'a PromiseLock,
    id: u64,
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        let state = &*self.lock.inner;
        state.waiters.borrow_mut().retain(|(id, _)| *id != self.id);
        // Dropped without taking the lock: the task was cancelled. If it had
        // been woken, the lock is free and the next waiter must have it.
        if !state.locked.get() {
            self.lock.wake_up_first();
        }
    }
}
// ANCHOR_END: waiter

impl PromiseLock {
    /// A new, unlocked lock.
    pub fn new() -> PromiseLock {
        PromiseLock::default()
    }

    /// Whether the lock is held.
    pub fn locked(&self) -> bool {
        self.inner.locked.get()
    }
}

impl fmt::Debug for PromiseLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PromiseLock")
            .field("locked", &self.locked())
            .field("waiters", &self.inner.waiters.borrow().len())
            .finish()
    }
}
