//! `cancel_race` (not in PyMOTW): the lost wake-up that cancellation causes in
//! a naive lock, and how `aio::Lock` avoids it.
//!
//! Both locks wake the first waiter on release, and the waiter takes the lock
//! when it runs. The naive one forgets that the woken waiter may be cancelled
//! before it runs: then nobody takes the lock, and nobody wakes the next waiter
//! either.

use aio::{Lock, Promise};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

// ANCHOR: naive_lock
/// A lock without cancellation clean-up.
#[derive(Clone, Default)]
struct NaiveLock {
    locked: Rc<Cell<bool>>,
    waiters: Rc<RefCell<VecDeque<Promise<()>>>>,
}

impl NaiveLock {
    async fn acquire(&self) {
        if !self.locked.get() && self.waiters.borrow().is_empty() {
            self.locked.set(true);
            return;
        }
        let waiter = Promise::new().expect("inside a task");
        self.waiters.borrow_mut().push_back(waiter.clone());
        // If this task is cancelled here, nothing is cleaned up.
        let _ = waiter.await;
        self.locked.set(true);
    }

    fn release(&self) {
        self.locked.set(false);
        if let Some(first) = self.waiters.borrow_mut().pop_front() {
            // Woken, but it takes the lock only when it runs.
            let _ = first.set_result(());
        }
    }
}
// ANCHOR_END: naive_lock

// ANCHOR: example
/// What the scenario needs from a lock.
trait DemoLock: Clone + 'static {
    async fn acquire(&self);
    fn release(&self);
    fn locked(&self) -> bool;
}

impl DemoLock for NaiveLock {
    async fn acquire(&self) {
        NaiveLock::acquire(self).await
    }
    fn release(&self) {
        NaiveLock::release(self)
    }
    fn locked(&self) -> bool {
        self.locked.get()
    }
}

impl DemoLock for Lock {
    async fn acquire(&self) {
        Lock::acquire(self).await
    }
    fn release(&self) {
        Lock::release(self).expect("main holds the lock");
    }
    fn locked(&self) -> bool {
        Lock::locked(self)
    }
}

/// Main holds the lock while A and B queue for it. Main releases it, which
/// wakes A, and cancels A in the same breath, before A gets to run. Does B ever
/// get the lock?
async fn scenario(name: &str, lock: impl DemoLock) -> Result<(), aio::Error> {
    lock.acquire().await;
    let b_has_it = Rc::new(Cell::new(false));
    let (lock_a, lock_b, flag) = (lock.clone(), lock.clone(), b_has_it.clone());
    let a = aio::spawn(async move { lock_a.acquire().await })?;
    aio::spawn(async move {
        lock_b.acquire().await;
        flag.set(true);
    })?;
    aio::sleep(Duration::ZERO).await; // A and B are now queued, in that order
    println!("{name}: main releases the lock and cancels A before A runs");
    lock.release();
    a.cancel();
    aio::sleep(Duration::from_millis(10)).await;
    println!(
        "{name}: 10 ms later, B has the lock: {}, lock held: {}",
        b_has_it.get(),
        lock.locked()
    );
    Ok(())
}

async fn main_task() -> Result<(), aio::Error> {
    scenario("naive lock", NaiveLock::default()).await?;
    scenario("aio::Lock", Lock::new()).await
}

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    // aio::run cancels B's task, still stuck on the naive lock, when main
    // returns.
    Ok(aio::run(main_task())??)
}
// ANCHOR_END: example
