//! Chapter 1 (coroutines): values that only their owner thread may touch.
//!
//! A task's future need not be `Send`, yet its waker must be `Send + Sync`, and
//! the waker keeps the task's allocation alive. [`OwnerThreadCell`] is the
//! bridge: it can be shared with any thread, but only the thread that created
//! it can reach the value inside. If the last reference is dropped on another
//! thread while a value is still inside, the value is leaked (and the leak
//! reported) rather than dropped on the wrong thread. The runtime empties these
//! cells on the loop's thread before that can happen.

use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::loom::{
    AtomicBool, IdCounter, Ordering, thread_local,
};
use std::mem::ManuallyDrop;

// ANCHOR: thread_token
/// A number that names one thread for the life of the process (never reused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ThreadToken(u64);

static NEXT_TOKEN: IdCounter = IdCounter::new(1);

thread_local! {
    static THIS_THREAD: u64 = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
}

impl ThreadToken {
    /// The token of the calling thread.
    pub(crate) fn current() -> ThreadToken {
        // During thread teardown the thread-local may be gone; token 0 matches
        // no owner.
        ThreadToken(THIS_THREAD.try_with(|token| *token).unwrap_or(0))
    }
}
// ANCHOR_END: thread_token

// ANCHOR: owner_thread_cell
/// A value that can be shared between threads but used only on the thread that
/// made it.
pub(crate) struct OwnerThreadCell<T> {
    owner: ThreadToken,
    /// Set by the owner once the value holds nothing that needs dropping, so
    /// that a release on another thread has nothing to report.
    emptied: AtomicBool,
    value: ManuallyDrop<T>,
}

// SAFETY: the value is reachable only through `get`, which returns `None` on
// every thread but the owner, and `Drop` drops it only on the owner. So no `&T`
// or `T` ever reaches another thread, whatever `T` is, and sharing or sending
// the cell itself is sound.
unsafe impl<T> Send for OwnerThreadCell<T> {}
// SAFETY: see the `Send` impl: other threads can only read `owner` (a `Copy`
// value) and `emptied` (an atomic).
unsafe impl<T> Sync for OwnerThreadCell<T> {}

impl<T> OwnerThreadCell<T> {
    /// Wraps `value`, owned by the calling thread.
    // Inlined, so the task's parts are built where the task is, not built
    // aside and copied (one `memcpy` fewer per spawn, measured).
    #[inline(always)]
    pub(crate) fn new(value: T) -> Self {
        OwnerThreadCell {
            owner: ThreadToken::current(),
            emptied: AtomicBool::new(false),
            value: ManuallyDrop::new(value),
        }
    }

    /// Records that the value no longer owns anything (its future and result
    /// are gone), so leaking it on another thread loses nothing.
    pub(crate) fn mark_emptied(&self) {
        self.emptied.store(true, Ordering::Release);
    }

    /// The value, if the caller is the owner thread.
    pub(crate) fn get(&self) -> Option<&T> {
        (ThreadToken::current() == self.owner).then_some(&*self.value)
    }
}
// ANCHOR_END: owner_thread_cell

// ANCHOR: owner_thread_drop
impl<T> Drop for OwnerThreadCell<T> {
    fn drop(&mut self) {
        if ThreadToken::current() == self.owner {
            // SAFETY: we are on the owner thread, and `value` is never used
            // after this.
            unsafe { ManuallyDrop::drop(&mut self.value) }
        } else if std::mem::needs_drop::<T>()
            && !self.emptied.load(Ordering::Acquire)
        {
            logging::warn!(
                "aio.owner_thread",
                "a {} was released on a thread other than its loop's; it \
                 is leaked instead of dropped on the wrong thread",
                std::any::type_name::<T>()
            );
        }
    }
}
// ANCHOR_END: owner_thread_drop
