//! Exercise 1: `get_many`, several items for one wait (small).
//!
//! Write [`get_many`]: wait until `queue` holds an item, then take up to `n`
//! without waiting again, like tokio's `recv_many`. The chapter page
//! (`book/ch06-sync.md`, "Exercises") says what the grader checks.

use aio::{Queue, SyncError};

/// Waits until `queue` holds at least one item, then takes up to `n` items
/// (oldest first) without waiting again. Returns an empty `Vec` at once when
/// `n` is 0, and `Err(SyncError::QueueShutDown)` once the queue is shut down
/// and empty. Cancelled while it waits, it takes nothing.
pub async fn get_many<T>(
    queue: &Queue<T>,
    n: usize,
) -> Result<Vec<T>, SyncError> {
    // Your code here: wait for the first item as `get` does, then take the
    // rest with `get_nowait`, in the same poll.
    Ok(Vec::new())
}
