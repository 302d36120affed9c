//! Chapter 6 (synchronization): the errors of the synchronization primitives.

use std::fmt;

/// Misuse of a primitive, or a wait that cannot complete: asyncio's
/// `RuntimeError`, `ValueError`, `QueueFull`, `QueueEmpty`, `QueueShutDown` and
/// `BrokenBarrierError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncError {
    /// `release()` on a lock that is not held, or `wait`/`notify` on a
    /// condition whose lock is not held.
    NotLocked,
    /// A `BoundedSemaphore` was released more times than it was acquired.
    ReleasedTooManyTimes,
    /// `put_nowait` on a full queue (`QueueFull`).
    QueueFull,
    /// `get_nowait` on an empty queue (`QueueEmpty`).
    QueueEmpty,
    /// The queue was shut down (`QueueShutDown`).
    QueueShutDown,
    /// `task_done()` was called more times than items were put.
    TaskDoneTooManyTimes,
    /// The barrier is broken (aborted), or was reset or aborted while the
    /// task was inside it (`BrokenBarrierError`).
    BrokenBarrier,
    /// A condition was given the guard of another lock.
    ForeignGuard,
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = match self {
            SyncError::NotLocked => {
                "the lock is not held; acquire it before releasing, waiting or notifying"
            }
            SyncError::ReleasedTooManyTimes => {
                "the bounded semaphore was released more times than it was acquired; pair every release with an acquire"
            }
            SyncError::QueueFull => {
                "the queue is full; use put().await to wait for room, or check full() first"
            }
            SyncError::QueueEmpty => {
                "the queue is empty; use get().await to wait for an item, or check empty() first"
            }
            SyncError::QueueShutDown => {
                "the queue was shut down; no more items can be put (or got, once it is empty)"
            }
            SyncError::TaskDoneTooManyTimes => {
                "task_done() was called more times than there were items; call it once per item got"
            }
            SyncError::BrokenBarrier => {
                "the barrier was reset or aborted while waiting, or is aborted; reset it and retry"
            }
            SyncError::ForeignGuard => {
                "this guard belongs to another lock; wait with the guard of the condition's own lock"
            }
        };
        f.write_str(message)
    }
}

impl std::error::Error for SyncError {}
