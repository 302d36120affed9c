//! Exercise 1: `get_many`, several items for one wait.
//!
//! One `get` waits for the first item; `get_nowait` takes the others in the
//! same poll, so a cancellation can only come before anything was taken.

use aio::{Queue, SyncError};

// ANCHOR: get_many
/// Waits until `queue` holds at least one item, then takes up to `n` items
/// (oldest first) without waiting again. Returns an empty `Vec` at once when
/// `n` is 0, and `Err(SyncError::QueueShutDown)` once the queue is shut down
/// and empty. Cancelled while it waits, it takes nothing.
pub async fn get_many<T>(
    queue: &Queue<T>,
    n: usize,
) -> Result<Vec<T>, SyncError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    // The only wait: `get` loops while the queue is empty, and passes its
    // wake-up on if it is cancelled.
    let mut items = vec![queue.get().await?];
    // No `.await` from here on: the items are taken in this very poll. Each
    // `get_nowait` also wakes a putter for the room it frees.
    while items.len() < n {
        match queue.get_nowait() {
            Ok(item) => items.push(item),
            Err(_) => break, // empty (or shut down and empty): done
        }
    }
    Ok(items)
}
// ANCHOR_END: get_many
